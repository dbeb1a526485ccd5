"""API for the catalogue, family plans, plan interventions, referrals, placements and
contact events under /api/v1/, with the rules of the pages: invisible is 404, visible
but not changeable is 403, every read and write audited (writes through the
services)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied

from kinsight.core.apibase import (
    CreateThroughService,
    ReadOnlySerializer,
    TenantSerializer,
    TenantViewSet,
    VersionedInputSerializer,
    VersionedSerializer,
    VersionField,
)
from kinsight.family.models import FamilyWork
from kinsight.interventions import services
from kinsight.interventions.models import (
    ContactEvent,
    ContactPlan,
    ContactStatus,
    FamilyPlan,
    Intervention,
    Placement,
    PlanGoal,
    PlanIntervention,
    Referral,
    ReferralStatus,
    ReferralStep,
)
from kinsight.interventions.services.plan_interventions import PLAN_INTERVENTION_FIELDS


def _units(units, user):
    return units.filter(kind="unit")


# The catalogue ------------------------------------------------------------------------


class InterventionSerializer(VersionedSerializer):
    related_access = {"provider_unit": _units}

    class Meta:
        model = Intervention
        fields = ["id", *services.INTERVENTION_FIELDS, "is_example", "version"]
        read_only_fields = ["id", "is_example"]

    def validate(self, attrs):
        # Checked again by the service; here so the answer is 400 before any write.
        low, high = attrs.get("min_age"), attrs.get("max_age")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"max_age": "Åldern till kan inte vara lägre än åldern från."}
            )
        return attrs


class InterventionViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, TenantViewSet):
    """Insatskatalogen. Alla i kommunen läser; systemförvaltare skapar och ändrar."""

    serializer_class = InterventionSerializer
    model = Intervention
    filterset_fields = ["target", "provider_kind", "format", "is_active", "is_example"]
    audit_reads = ()  # the catalogue: no personal data
    write_access = "change"

    def create(self, request, *args, **kwargs):
        if not request.user.is_administrator:
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        serializer.instance = services.intervention_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        obj = serializer.instance
        data = {name: getattr(obj, name) for name in services.INTERVENTION_FIELDS}
        data.update(serializer.validated_data)
        serializer.instance = services.intervention_update(
            actor=self.request.user,
            intervention=obj,
            expected_version=data.pop("version"),
            data=data,
        )


# The family plan ----------------------------------------------------------------------

PLAN_VERSION_HELP = (
    "Planens version som ändringen utgår från (0 om planen inte finns ännu); "
    "är planen ändrad sedan dess svarar API:t 409."
)


class PlanGoalSerializer(ReadOnlySerializer):
    class Meta:
        model = PlanGoal
        fields = ["id", "perspective_key", "perspective_label", "text", "version"]


class FamilyPlanSerializer(ReadOnlySerializer):
    goals = PlanGoalSerializer(many=True, read_only=True)

    class Meta:
        model = FamilyPlan
        fields = ["id", "family_work", "version", "updated_at", "updated_by", "goals"]


class GoalAddSerializer(VersionedInputSerializer):
    family_work = serializers.PrimaryKeyRelatedField(queryset=FamilyWork.objects.none())
    perspective_key = serializers.CharField(max_length=60)
    text = serializers.CharField()
    version = VersionField(help_text=PLAN_VERSION_HELP)


class FamilyPlanViewSet(TenantViewSet):
    """Familjeplaner: hela familjens innehåll (samordnaren, och andra enheter med
    samtycke från alla i familjen). Mål läggs till med POST …/goals/."""

    serializer_class = FamilyPlanSerializer
    model = FamilyPlan
    filterset_fields = ["family_work"]
    prefetch_related = ("goals",)

    @extend_schema(request=GoalAddSerializer, responses=PlanGoalSerializer)
    @action(detail=False, methods=["post"])
    def goals(self, request):
        """Lägg till ett mål för ett av familjens perspektiv."""
        return self.act(
            GoalAddSerializer,
            services.goal_add,
            answer=PlanGoalSerializer,
            status=status.HTTP_201_CREATED,
        )


class PlanInterventionSerializer(TenantSerializer):
    family_work = serializers.PrimaryKeyRelatedField(
        queryset=FamilyWork.objects.none(), write_only=True
    )
    follow_up_dates = serializers.ListField(
        child=serializers.DateField(), required=False, write_only=True
    )
    follow_ups = serializers.SerializerMethodField()
    plan_version = VersionField(
        write_only=True, source="expected_version", help_text=PLAN_VERSION_HELP
    )
    related_access = {"responsible_unit": _units}

    class Meta:
        model = PlanIntervention
        fields = [
            "id",
            "family_work",
            *PLAN_INTERVENTION_FIELDS,
            "note",
            "follow_up_dates",
            "follow_ups",
            "version",
            "plan_version",
        ]
        read_only_fields = ["id", "plan", "version"]

    def get_follow_ups(self, obj) -> list[dict]:
        return [
            {
                "id": f.pk,
                "due_on": f.due_on,
                "outcome": f.outcome,
                "outcome_on": f.outcome_on,
                "note": f.note,
            }
            for f in obj.follow_ups.all()
        ]


class PlanInterventionViewSet(CreateThroughService, TenantViewSet):
    """Insatser i familjeplaner med uppföljningar. Skapas av samordnaren."""

    serializer_class = PlanInterventionSerializer
    model = PlanIntervention
    creates = services.plan_intervention_add
    filterset_fields = ["plan", "goal", "responsible_unit"]
    prefetch_related = ("follow_ups",)


# Referrals ----------------------------------------------------------------------------


class ReferralStepSerializer(ReadOnlySerializer):
    class Meta:
        model = ReferralStep
        fields = ["id", "status", "on", "by", "unit", "note"]


class ReferralSerializer(TenantSerializer):
    steps = ReferralStepSerializer(many=True, read_only=True)
    related_access = {"to_unit": _units}

    class Meta:
        model = Referral
        fields = [
            "id",
            "family_work",
            "person",
            "intervention",
            "plan_intervention",
            "from_unit",
            "to_unit",
            "external_provider",
            "external_contact",
            "reason",
            "consent",
            "status",
            "sent_on",
            "sent_by",
            "status_changed_on",
            "steps",
            "version",
        ]
        read_only_fields = [
            "id",
            "from_unit",
            "consent",
            "status",
            "sent_on",
            "sent_by",
            "status_changed_on",
            "version",
        ]


class ReferralStepBodySerializer(VersionedInputSerializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class ReferralViewSet(CreateThroughService, TenantViewSet):
    """Remisser: skickas bara med samtycke för ändamålet remiss som omfattar mottagaren.
    Nästa steg med POST …/step/."""

    serializer_class = ReferralSerializer
    model = Referral
    creates = services.referral_send
    filterset_fields = ["family_work", "status", "to_unit", "from_unit"]
    prefetch_related = ("steps",)

    @extend_schema(request=ReferralStepBodySerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        """Nästa steg: mottagen, accepterad/avböjd, påbörjad, avslutad."""
        return self.act(
            ReferralStepBodySerializer, services.referral_step, referral=self.get_object()
        )


# Placements ---------------------------------------------------------------------------


class ContactPlanSerializer(ReadOnlySerializer):
    class Meta:
        model = ContactPlan
        fields = ["id", "parent", "frequency", "arrangement"]


class PlacementSerializer(TenantSerializer):
    related_access = {"responsible_unit": _units}

    class Meta:
        model = Placement
        fields = [
            "id",
            "family_work",
            "child",
            "kind",
            "place",
            "responsible_unit",
            "start_on",
            "end_on",
            "note",
            "version",
        ]
        read_only_fields = ["id", "version"]


class PlacementViewSet(CreateThroughService, TenantViewSet):
    """Placeringar av barn (familjehem, HVB, annan). Överlappande perioder avvisas."""

    serializer_class = PlacementSerializer
    creates = services.placement_create
    model = Placement
    filterset_fields = ["family_work", "child", "kind"]


class ContactEventSerializer(TenantSerializer):
    status = serializers.ChoiceField(choices=ContactStatus.choices)

    class Meta:
        model = ContactEvent
        fields = ["id", "contact_plan", "on", "status", "note", "recorded_by"]
        read_only_fields = ["id", "recorded_by"]


class ContactEventViewSet(CreateThroughService, TenantViewSet):
    """Umgänge mellan placerat barn och förälder: genomfört eller inställt."""

    serializer_class = ContactEventSerializer
    creates = services.contact_event_record
    model = ContactEvent
    filterset_fields = ["contact_plan", "status"]
