"""API for the child question and children as next of kin (records, steps and flags),
with the rules of the pages: invisible is 404, visible but not changeable is 403, every
read and write audited."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kinsight.cases.models import Case
from kinsight.core.apiactions import row_action
from kinsight.core.apibase import (
    CreateThroughService,
    InputSerializer,
    ReadOnlySerializer,
    TenantViewSet,
    VersionedInputSerializer,
    VersionedSerializer,
)
from kinsight.core.models import OrgUnit
from kinsight.detection import queries, services
from kinsight.detection.api.reports import ConcernReportSerializer, receiving_unit_choices
from kinsight.detection.models import (
    Answer,
    ChildFlag,
    ChildInformation,
    ChildQuestion,
    ChildRecord,
    ChildRecordStep,
    ChildStatus,
    Custody,
    FlagKind,
    LivesWith,
)
from kinsight.detection.services.child_records import STEP_FIELDS

# The child question --------------------------------------------------------------------


class ChildQuestionSerializer(ReadOnlySerializer):
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


class AnswerSerializer(VersionedInputSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    has_children = serializers.ChoiceField(choices=Answer.choices)
    expecting_child = serializers.ChoiceField(choices=Answer.choices)
    unknown_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ChildQuestionViewSet(TenantViewSet):
    """Barnfrågan per ärende (en vuxens ärende). Besvaras med POST …/answer/."""

    model = ChildQuestion
    serializer_class = ChildQuestionSerializer
    filterset_fields = ["case", "person", "unit", "has_children"]

    @extend_schema(request=AnswerSerializer, responses=ChildQuestionSerializer)
    @action(detail=False, methods=["post"])
    def answer(self, request):
        """Besvara (eller besvara igen) barnfrågan i ett ärende."""
        return self.act(AnswerSerializer, services.child_question_answer)


# Children as next of kin ---------------------------------------------------------------


class ChildFlagSerializer(ReadOnlySerializer):
    class Meta:
        model = ChildFlag
        fields = ["id", "record", "kind", "noted_on", "ended_on", "noted_by", "note", "version"]


class ChildRecordStepSerializer(ReadOnlySerializer):
    class Meta:
        model = ChildRecordStep
        fields = ["id", *STEP_FIELDS]


class ChildRecordSerializer(VersionedSerializer):
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
        validators: list[Any] = []
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


class ChildRecordUpdateSerializer(VersionedInputSerializer):
    custody = serializers.ChoiceField(choices=Custody.choices)
    lives_with = serializers.ChoiceField(choices=LivesWith.choices)
    other_carers = serializers.CharField(required=False, allow_blank=True, max_length=300)


class StepSerializer(VersionedInputSerializer):
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


class FlagSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FlagKind.choices)
    noted_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class FlagEndSerializer(VersionedInputSerializer):
    ended_on = serializers.DateField(required=False)


class InternalReportSerializer(InputSerializer):
    receiving_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    concern = serializers.CharField()
    feedback_requested = serializers.BooleanField(default=False)
    related_access = {"receiving_unit": receiving_unit_choices}


def _added(service, body, answer):
    """An action that adds a step or a flag to the record: answers with it, 201."""
    return row_action(
        service, "record", body=body, answer=answer, status=status.HTTP_201_CREATED, access="change"
    )


class ChildRecordViewSet(CreateThroughService, TenantViewSet):
    """Barn som anhöriga: barn till föräldrar med ärenden, med steg och markeringar."""

    model = ChildRecord
    serializer_class = ChildRecordSerializer
    creates = services.child_record_add
    filterset_fields = ["case", "parent", "child", "unit", "status"]
    select_related = ("child",)
    prefetch_related = ("flags",)

    @row_action(
        services.child_record_update,
        "record",
        body=ChildRecordUpdateSerializer,
        defaults=lambda record: {"other_carers": record.other_carers},
        access="change",
    )
    def details(self, request, pk=None):
        """Ändra vårdnad, boende och andra som tar hand om barnet."""

    @_added(services.child_record_step, StepSerializer, ChildRecordStepSerializer)
    def step(self, request, pk=None):
        """Nästa steg: uppmärksammat, bedömt, stöd erbjudet, hänvisat, inget behov."""

    @_added(services.child_flag_add, FlagSerializer, ChildFlagSerializer)
    def flag(self, request, pk=None):
        """Markera ung omsorgsgivare, barntolkning, våld eller förälderns problem."""

    @extend_schema(request=InternalReportSerializer, responses={201: None})
    @action(detail=True, methods=["post"], url_path="concern-report")
    def concern_report(self, request, pk=None):
        """Skicka en intern orosanmälan om barnet till en enhet för barn och ungdom."""
        record = self.get_object()
        if not queries.can_send_report(actor=request.user, record=record):
            raise PermissionDenied
        data = self.body(InternalReportSerializer)
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


class ChildRecordStepViewSet(TenantViewSet):
    """Stegen för barn som anhöriga (skrivs med child-records/{id}/step/)."""

    model = ChildRecordStep
    serializer_class = ChildRecordStepSerializer
    filterset_fields = ["record", "status"]


class ChildFlagViewSet(TenantViewSet):
    """Markeringar (skrivs med child-records/{id}/flag/, avslutas med …/end/)."""

    model = ChildFlag
    serializer_class = ChildFlagSerializer
    filterset_fields = ["record", "kind"]

    @row_action(services.child_flag_end, "flag", body=FlagEndSerializer, access="change")
    def end(self, request, pk=None):
        """Avsluta en markering."""
