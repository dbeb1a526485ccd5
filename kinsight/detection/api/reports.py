"""API for concern reports: in full for the receiving unit, as status and dates for the
reporting unit; invisible is 404, every read and write audited."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from kinsight.core.apiactions import row_action
from kinsight.core.apibase import (
    InputSerializer,
    ReadOnlySerializer,
    TenantViewSet,
    VersionedInputSerializer,
)
from kinsight.core.models import OrgUnit
from kinsight.detection import queries, services
from kinsight.detection.models import (
    EXTERNAL_CATEGORIES,
    ConcernReport,
    InvestigationOutcome,
    PreAssessmentDecision,
)
from kinsight.people.models import Person


def receiving_unit_choices(units, user):
    """The receiving units offered: active children-and-youth units."""
    return queries.receiving_units(user.municipality_id)


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


class ConcernReportSerializer(ReadOnlySerializer):
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

    def get_full_view(self, obj) -> bool:
        return obj.pk in self.context.get("full_ids", set())

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not data["full_view"]:
            data = {name: data[name] for name in STATUS_FIELDS}
        return data


class ExternalReportSerializer(InputSerializer):
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
    related_access = {"receiving_unit": receiving_unit_choices}


class PreAssessmentSerializer(VersionedInputSerializer):
    decision = serializers.ChoiceField(choices=PreAssessmentDecision.choices)
    decided_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class InvestigationSerializer(VersionedInputSerializer):
    outcome = serializers.ChoiceField(choices=InvestigationOutcome.choices)
    completed_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class FeedbackSerializer(VersionedInputSerializer):
    given_on = serializers.DateField()


class ConcernReportViewSet(TenantViewSet):
    """Orosanmälningar: i sin helhet för den mottagande enheten, som status och datum
    för den anmälande enheten."""

    model = ConcernReport
    serializer_class = ConcernReportSerializer
    filterset_fields = ["status", "receiving_unit", "reporting_unit", "child_record"]
    order_by = ("-received_on", "-pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not self.for_schema and self.request.user.is_authenticated:
            context["full_ids"] = set(
                ConcernReport.objects.full_access(self.request.user).values_list("pk", flat=True)
            )
        return context

    @extend_schema(request=ExternalReportSerializer, responses={201: ConcernReportSerializer})
    def create(self, request):
        """Registrera en extern orosanmälan (mottagande enhet: din enhet för barn och
        ungdom)."""
        data = self.body(ExternalReportSerializer)
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

    @row_action(
        services.concern_report_pre_assessment,
        "report",
        body=PreAssessmentSerializer,
        access="change",
        url_path="pre-assessment",
    )
    def pre_assessment(self, request, pk=None):
        """Beslut efter förhandsbedömning; inleds utredning startar dess frist."""

    @row_action(
        services.concern_report_complete_investigation,
        "report",
        body=InvestigationSerializer,
        access="change",
    )
    def investigation(self, request, pk=None):
        """Avsluta utredningen med resultat och datum."""

    @row_action(
        services.concern_report_feedback, "report", body=FeedbackSerializer, access="change"
    )
    def feedback(self, request, pk=None):
        """Återkoppling till anmälaren är given (19 kap. 6 § SoL): datum; av dig."""
