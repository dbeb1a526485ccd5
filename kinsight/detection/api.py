"""API for the child question, children as next of kin (steps and flags) and concern
reports under /api/v1/, with the rules of the pages: invisible is 404, visible but not
changeable is 403, every read and write audited."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kinsight.audit.services import audit_read, audit_read_many
from kinsight.cases.models import Case
from kinsight.core.apibase import VersionedSerializer, VersionField
from kinsight.core.models import OrgUnit
from kinsight.detection import queries, services
from kinsight.detection.models import (
    EXTERNAL_CATEGORIES,
    Answer,
    ChildFlag,
    ChildInformation,
    ChildQuestion,
    ChildRecord,
    ChildRecordStep,
    ChildStatus,
    ConcernReport,
    Custody,
    FlagKind,
    InvestigationOutcome,
    LivesWith,
    PreAssessmentDecision,
)
from kinsight.people.models import Person

STEP_TYPE = "detection.childrecordstep"
FLAG_TYPE = "detection.childflag"


def _user(serializer):
    request = serializer.context.get("request")
    if request is not None and request.user.is_authenticated:
        return request.user
    return None


class _AuditedReadMixin:
    object_type = ""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        audit_read_many(actor=request.user, objects=page, object_type=self.object_type)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit_read(actor=request.user, obj=obj)
        return Response(self.get_serializer(obj).data)

    def _change_object(self, model):
        obj = self.get_object()
        if not model.objects.visible_to(self.request.user, "change").filter(pk=obj.pk).exists():
            raise PermissionDenied
        return obj


# The child question --------------------------------------------------------------------


class ChildQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChildQuestion
        fields = [
            "id",
            "case",
            "person",
            "unit",
            "has_children",
            "unknown_reason",
            "expecting_child",
            "answered_at",
            "answered_by",
            "next_ask_on",
            "version",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    has_children = serializers.ChoiceField(choices=Answer.choices)
    expecting_child = serializers.ChoiceField(choices=Answer.choices)
    unknown_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    version = VersionField()

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None:
            fields["case"].queryset = Case.objects.visible_to(user, "view")
        return fields


class ChildQuestionViewSet(_AuditedReadMixin, viewsets.ReadOnlyModelViewSet):
    """Barnfrågan per ärende (en vuxens ärende). Besvaras med POST …/answer/."""

    serializer_class = ChildQuestionSerializer
    queryset = ChildQuestion.objects.none()
    filterset_fields = ["case", "person", "unit", "has_children"]
    object_type = queries.QUESTION_TYPE

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChildQuestion.objects.none()
        return ChildQuestion.objects.visible_to(self.request.user, "view").order_by("pk")

    @extend_schema(request=AnswerSerializer, responses=ChildQuestionSerializer)
    @action(detail=False, methods=["post"])
    def answer(self, request):
        """Besvara (eller besvara igen) barnfrågan i ett ärende."""
        body = AnswerSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        question = services.child_question_answer(
            actor=request.user,
            case=data["case"],
            has_children=data["has_children"],
            expecting_child=data["expecting_child"],
            unknown_reason=data.get("unknown_reason", ""),
            expected_version=data["version"],
        )
        return Response(self.get_serializer(question).data, status=status.HTTP_200_OK)


# Children as next of kin ---------------------------------------------------------------


class ChildFlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChildFlag
        fields = ["id", "record", "kind", "noted_on", "ended_on", "noted_by", "note", "version"]
        read_only_fields = fields


class ChildRecordStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChildRecordStep
        fields = [
            "id",
            "record",
            "status",
            "on",
            "by",
            "unit",
            "note",
            "parent_talked_with",
            "child_information",
            "child_information_reason",
        ]
        read_only_fields = fields


class ChildRecordSerializer(VersionedSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    child = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), allow_null=True, required=False
    )
    identifier = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="Barnets personnummer."
    )
    last_name = serializers.CharField(write_only=True, required=False, allow_blank=True)
    age = serializers.IntegerField(
        write_only=True, required=False, allow_null=True, help_text="Ålder när nummer saknas."
    )
    first_name = serializers.CharField(required=False, allow_blank=True)
    custody = serializers.ChoiceField(choices=Custody.choices, default=Custody.UNKNOWN)
    lives_with = serializers.ChoiceField(choices=LivesWith.choices, default=LivesWith.UNKNOWN)
    flags = ChildFlagSerializer(many=True, read_only=True)

    class Meta:
        model = ChildRecord
        fields = [
            "id",
            "case",
            "unit",
            "parent",
            "child",
            "identifier",
            "first_name",
            "last_name",
            "age",
            "birth_date",
            "birth_year",
            "expected_month",
            "custody",
            "lives_with",
            "other_carers",
            "status",
            "identified_on",
            "attended_on",
            "status_changed_on",
            "flags",
            "version",
        ]
        # The service finds a duplicate on the case and says which record it is; DRF's
        # validator for the conditional (case, child) constraint would demand a child.
        validators = []
        read_only_fields = [
            "unit",
            "parent",
            "birth_date",
            "birth_year",
            "expected_month",
            "status",
            "identified_on",
            "attended_on",
            "status_changed_on",
        ]

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None:
            fields["case"].queryset = Case.objects.visible_to(user, "view")
            fields["child"].queryset = Person.objects.visible_to(user, "view")
        return fields


class ChildRecordUpdateSerializer(serializers.Serializer):
    custody = serializers.ChoiceField(choices=Custody.choices)
    lives_with = serializers.ChoiceField(choices=LivesWith.choices)
    other_carers = serializers.CharField(required=False, allow_blank=True, max_length=300)
    version = VersionField()


class StepSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ChildStatus.choices)
    on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    parent_talked_with = serializers.BooleanField(default=False)
    child_information = serializers.ChoiceField(
        choices=ChildInformation.choices, required=False, allow_blank=True
    )
    child_information_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=300
    )
    version = VersionField()


class FlagSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FlagKind.choices)
    noted_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class FlagEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False)
    version = VersionField()


class InternalReportSerializer(serializers.Serializer):
    receiving_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    concern = serializers.CharField()
    feedback_requested = serializers.BooleanField(default=False)

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None:
            fields["receiving_unit"].queryset = services.receiving_units(user.municipality_id)
        return fields


class ChildRecordViewSet(
    _AuditedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Barn som anhöriga: barn till föräldrar med ärenden, med steg och markeringar."""

    serializer_class = ChildRecordSerializer
    queryset = ChildRecord.objects.none()
    filterset_fields = ["case", "parent", "child", "unit", "status"]
    object_type = queries.RECORD_TYPE

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChildRecord.objects.none()
        return (
            ChildRecord.objects.visible_to(self.request.user, "view")
            .select_related("child")
            .prefetch_related("flags")
            .order_by("pk")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.child_record_add(
            actor=self.request.user,
            case=data["case"],
            child=data.get("child"),
            identifier=data.get("identifier", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            age=data.get("age"),
            custody=data["custody"],
            lives_with=data["lives_with"],
            other_carers=data.get("other_carers", ""),
        )

    @extend_schema(request=ChildRecordUpdateSerializer, responses=ChildRecordSerializer)
    @action(detail=True, methods=["post"])
    def details(self, request, pk=None):
        """Ändra vårdnad, boende och andra som tar hand om barnet."""
        record = self._change_object(ChildRecord)
        body = ChildRecordUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        record = services.child_record_update(
            actor=request.user,
            record=record,
            expected_version=data["version"],
            custody=data["custody"],
            lives_with=data["lives_with"],
            other_carers=data.get("other_carers", record.other_carers),
        )
        return Response(self.get_serializer(record).data)

    @extend_schema(request=StepSerializer, responses=ChildRecordStepSerializer)
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        """Nästa steg: uppmärksammat, bedömt, stöd erbjudet, hänvisat, inget behov."""
        record = self._change_object(ChildRecord)
        body = StepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        step = services.child_record_step(
            actor=request.user,
            record=record,
            status=data["status"],
            expected_version=data["version"],
            on=data.get("on"),
            note=data.get("note", ""),
            parent_talked_with=data["parent_talked_with"],
            child_information=data.get("child_information", ""),
            child_information_reason=data.get("child_information_reason", ""),
        )
        return Response(ChildRecordStepSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FlagSerializer, responses=ChildFlagSerializer)
    @action(detail=True, methods=["post"])
    def flag(self, request, pk=None):
        """Markera ung omsorgsgivare, barntolkning, våld eller förälderns problem."""
        record = self._change_object(ChildRecord)
        body = FlagSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        flag = services.child_flag_add(
            actor=request.user,
            record=record,
            kind=data["kind"],
            noted_on=data.get("noted_on"),
            note=data.get("note", ""),
        )
        return Response(ChildFlagSerializer(flag).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InternalReportSerializer, responses={201: None})
    @action(detail=True, methods=["post"], url_path="concern-report")
    def concern_report(self, request, pk=None):
        """Skicka en intern orosanmälan om barnet till en enhet för barn och ungdom."""
        record = self.get_object()
        if not services.can_send_report(actor=request.user, record=record):
            raise PermissionDenied
        body = InternalReportSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        report = services.concern_report_send(
            actor=request.user,
            record=record,
            receiving_unit=data["receiving_unit"],
            concern=data["concern"],
            feedback_requested=data["feedback_requested"],
        )
        return Response(
            ConcernReportSerializer(report, context={"full_ids": set()}).data,
            status=status.HTTP_201_CREATED,
        )


class ChildRecordStepViewSet(_AuditedReadMixin, viewsets.ReadOnlyModelViewSet):
    """Stegen för barn som anhöriga (skrivs med child-records/{id}/step/)."""

    serializer_class = ChildRecordStepSerializer
    queryset = ChildRecordStep.objects.none()
    filterset_fields = ["record", "status"]
    object_type = STEP_TYPE

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChildRecordStep.objects.none()
        return ChildRecordStep.objects.visible_to(self.request.user, "view").order_by("pk")


class ChildFlagViewSet(_AuditedReadMixin, viewsets.ReadOnlyModelViewSet):
    """Markeringar (skrivs med child-records/{id}/flag/, avslutas med …/end/)."""

    serializer_class = ChildFlagSerializer
    queryset = ChildFlag.objects.none()
    filterset_fields = ["record", "kind"]
    object_type = FLAG_TYPE

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChildFlag.objects.none()
        return ChildFlag.objects.visible_to(self.request.user, "view").order_by("pk")

    @extend_schema(request=FlagEndSerializer, responses=ChildFlagSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Avsluta en markering."""
        flag = self._change_object(ChildFlag)
        body = FlagEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        flag = services.child_flag_end(
            actor=request.user,
            flag=flag,
            expected_version=body.validated_data["version"],
            ended_on=body.validated_data.get("ended_on"),
        )
        return Response(self.get_serializer(flag).data)


# Concern reports ---------------------------------------------------------------------

# What the reporting unit sees: that the report was received and acted on.
STATUS_FIELDS = [
    "id",
    "source",
    "receiving_unit",
    "reporting_unit",
    "received_on",
    "status",
    "pre_assessment_due_on",
    "pre_assessment_decided_on",
    "investigation_started_on",
    "investigation_completed_on",
    "feedback_due_on",
    "feedback_given_on",
    "full_view",
]


class ConcernReportSerializer(serializers.ModelSerializer):
    full_view = serializers.SerializerMethodField(
        help_text="Falskt för den anmälande enheten: bara status och datum visas."
    )

    class Meta:
        model = ConcernReport
        fields = [
            "id",
            "source",
            "reporter_category",
            "reporter_name",
            "reporter_contact",
            "reporting_unit",
            "reported_by",
            "child_record",
            "child",
            "child_name",
            "child_birth_year",
            "receiving_unit",
            "responsible",
            "received_on",
            "concern",
            "feedback_requested",
            "status",
            "pre_assessment_due_on",
            "pre_assessment_decision",
            "pre_assessment_decided_on",
            "investigation_started_on",
            "investigation_due_on",
            "investigation_outcome",
            "investigation_completed_on",
            "decision_note",
            "feedback_due_on",
            "feedback_given_on",
            "feedback_given_by",
            "version",
            "full_view",
        ]
        read_only_fields = fields

    def get_full_view(self, obj) -> bool:
        return obj.pk in self.context.get("full_ids", set())

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not data["full_view"]:
            data = {name: data[name] for name in STATUS_FIELDS}
        return data


class ExternalReportSerializer(serializers.Serializer):
    receiving_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    reporter_category = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in EXTERNAL_CATEGORIES]
    )
    reporter_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reporter_contact = serializers.CharField(required=False, allow_blank=True, max_length=200)
    child = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), required=False, allow_null=True
    )
    child_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    child_age = serializers.IntegerField(required=False, allow_null=True)
    received_on = serializers.DateField(required=False)
    concern = serializers.CharField()
    feedback_requested = serializers.BooleanField(default=False)

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None:
            fields["receiving_unit"].queryset = services.receiving_units(user.municipality_id)
            fields["child"].queryset = Person.objects.visible_to(user, "view")
        return fields


class PreAssessmentSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=PreAssessmentDecision.choices)
    decided_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    version = VersionField()


class InvestigationSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=InvestigationOutcome.choices)
    completed_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    version = VersionField()


class FeedbackSerializer(serializers.Serializer):
    given_on = serializers.DateField()
    version = VersionField()


class ConcernReportViewSet(_AuditedReadMixin, viewsets.ReadOnlyModelViewSet):
    """Orosanmälningar: i sin helhet för den mottagande enheten, som status och datum
    för den anmälande enheten."""

    serializer_class = ConcernReportSerializer
    queryset = ConcernReport.objects.none()
    filterset_fields = ["status", "receiving_unit", "reporting_unit", "child_record"]
    object_type = queries.REPORT_TYPE

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ConcernReport.objects.none()
        return ConcernReport.objects.visible_to(self.request.user, "view").order_by(
            "-received_on", "-pk"
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and self.request.user.is_authenticated:
            context["full_ids"] = set(
                ConcernReport.objects.full_access(self.request.user).values_list("pk", flat=True)
            )
        return context

    @extend_schema(request=ExternalReportSerializer, responses={201: ConcernReportSerializer})
    def create(self, request):
        """Registrera en extern orosanmälan (mottagande enhet: din enhet för barn och
        ungdom)."""
        body = ExternalReportSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        report = services.concern_report_register(
            actor=request.user,
            receiving_unit=data["receiving_unit"],
            reporter_category=data["reporter_category"],
            reporter_name=data.get("reporter_name", ""),
            reporter_contact=data.get("reporter_contact", ""),
            child=data.get("child"),
            child_name=data.get("child_name", ""),
            child_age=data.get("child_age"),
            received_on=data.get("received_on"),
            concern=data["concern"],
            feedback_requested=data["feedback_requested"],
        )
        return Response(
            ConcernReportSerializer(report, context={"full_ids": {report.pk}}).data,
            status=status.HTTP_201_CREATED,
        )

    def _report_for_change(self):
        report = self.get_object()
        if not ConcernReport.objects.visible_to(self.request.user, "change").filter(pk=report.pk):
            raise PermissionDenied
        return report

    @extend_schema(request=PreAssessmentSerializer, responses=ConcernReportSerializer)
    @action(detail=True, methods=["post"], url_path="pre-assessment")
    def pre_assessment(self, request, pk=None):
        """Beslut efter förhandsbedömning; inleds utredning startar dess frist."""
        report = self._report_for_change()
        body = PreAssessmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        report = services.concern_report_pre_assessment(
            actor=request.user,
            report=report,
            decision=data["decision"],
            decided_on=data["decided_on"],
            note=data.get("note", ""),
            expected_version=data["version"],
        )
        return Response(self.get_serializer(report).data)

    @extend_schema(request=InvestigationSerializer, responses=ConcernReportSerializer)
    @action(detail=True, methods=["post"])
    def investigation(self, request, pk=None):
        """Avsluta utredningen med resultat och datum."""
        report = self._report_for_change()
        body = InvestigationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        report = services.concern_report_complete_investigation(
            actor=request.user,
            report=report,
            outcome=data["outcome"],
            completed_on=data["completed_on"],
            note=data.get("note", ""),
            expected_version=data["version"],
        )
        return Response(self.get_serializer(report).data)

    @extend_schema(request=FeedbackSerializer, responses=ConcernReportSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        """Återkoppling till anmälaren är given (19 kap. 6 § SoL): datum; av dig."""
        report = self._report_for_change()
        body = FeedbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.concern_report_feedback(
            actor=request.user,
            report=report,
            given_on=body.validated_data["given_on"],
            expected_version=body.validated_data["version"],
        )
        return Response(self.get_serializer(report).data)
