"""API for family work: the work itself, its participating units, members, linked
cases and consents, with the rules of the pages: what the consent rules hide answers
404; every read and write is audited."""

from typing import Any

from django.db.models import Prefetch
from rest_framework import mixins, serializers

from kinsight.cases.models import Case
from kinsight.core.apiactions import row_action
from kinsight.core.apibase import (
    CreateThroughService,
    InputSerializer,
    TenantSerializer,
    TenantViewSet,
    UpdateThroughService,
    VersionedInputSerializer,
    VersionedSerializer,
)
from kinsight.core.models import OrgUnit
from kinsight.family import services
from kinsight.family.models import (
    Consent,
    FamilyMember,
    FamilyRole,
    FamilyWork,
    LinkedCase,
    Participant,
)
from kinsight.people.models import Person

# Family work ---------------------------------------------------------------------------


class ParticipantSerializer(TenantSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    worker_name = serializers.SerializerMethodField()
    related_access = {"family_work": "change"}

    class Meta:
        model = Participant
        fields = [
            "id",
            "family_work",
            "unit",
            "unit_name",
            "worker",
            "worker_name",
            "is_coordinator",
            "joined_on",
            "left_on",
        ]
        read_only_fields = ["is_coordinator", "joined_on", "left_on"]

    def get_worker_name(self, obj) -> str:
        return str(obj.worker) if obj.worker_id else ""


class MemberInputSerializer(InputSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    role = serializers.ChoiceField(choices=FamilyRole.choices)


class FamilyWorkSerializer(VersionedSerializer):
    """The summary every participating unit sees: title, status, dates and the
    participating units with their contacts (never the members without consent)."""

    from_case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    members = MemberInputSerializer(many=True, write_only=True)
    participants = serializers.SerializerMethodField()
    related_access = {"from_case": "change"}

    class Meta:
        model = FamilyWork
        fields = [
            "id",
            "title",
            "status",
            "started_on",
            "ended_on",
            "from_case",
            "members",
            "participants",
            "version",
        ]
        read_only_fields = ["status", "ended_on"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["from_case"].read_only = True
            fields["members"].read_only = True
            fields["members"].required = False
        return fields

    def get_participants(self, obj) -> list[dict]:
        return [
            {
                "unit": p.unit_id,
                "unit_name": p.unit.name,
                "worker": p.worker_id,
                "worker_name": str(p.worker) if p.worker_id else "",
                "is_coordinator": p.is_coordinator,
                "left_on": p.left_on,
            }
            for p in obj.participants.all()
        ]


class CloseSerializer(VersionedInputSerializer):
    ended_on = serializers.DateField(required=False)


class FamilyWorkViewSet(mixins.CreateModelMixin, UpdateThroughService, TenantViewSet):
    """Familjeärenden du deltar i. Utan samtycke syns bara att arbetet finns och vem
    som samordnar."""

    serializer_class = FamilyWorkSerializer
    model = FamilyWork
    updates = services.family_work_update
    updated_as = "family_work"
    update_fields = ("title",)
    filterset_fields = ["status"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def rows(self):
        ordered = Participant.objects.select_related("unit", "worker")
        ordered = ordered.order_by("-is_coordinator", "pk")
        return super().rows().prefetch_related(Prefetch("participants", queryset=ordered))

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.family_work_start(
            actor=self.request.user,
            case=data["from_case"],
            title=data["title"],
            members=[(m["person"], m["role"]) for m in data["members"]],
            started_on=data.get("started_on"),
        )

    @row_action(services.family_work_close, "family_work", body=CloseSerializer)
    def close(self, request, pk=None):
        """Avsluta familjeärendet (samordnaren)."""


class ParticipantViewSet(CreateThroughService, TenantViewSet):
    """Deltagande enheter: samordnaren lägger till enheter, byter samordnare."""

    serializer_class = ParticipantSerializer
    creates = services.participant_add
    model = Participant
    select_related = ("unit", "worker")
    filterset_fields = ["family_work"]

    @row_action(services.participant_leave, "participant")
    def leave(self, request, pk=None):
        """Enheten lämnar familjeärendet och förlorar åtkomsten."""

    @row_action(services.coordinator_set, "participant")
    def coordinator(self, request, pk=None):
        """Gör enheten till samordnare."""


class FamilyMemberSerializer(TenantSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    related_access = {"family_work": "change"}

    class Meta:
        model = FamilyMember
        fields = ["id", "family_work", "person", "person_name", "role", "ended_on"]
        read_only_fields = ["ended_on"]


class FamilyMemberViewSet(CreateThroughService, TenantViewSet):
    """Familjemedlemmar: syns för andra enheter bara med personens samtycke."""

    serializer_class = FamilyMemberSerializer
    creates = services.member_add
    model = FamilyMember
    select_related = ("person",)
    filterset_fields = ["family_work", "person"]

    @row_action(services.member_end, "member")
    def end(self, request, pk=None):
        """Personen ingår inte längre i familjen (raden finns kvar)."""


class LinkedCaseSerializer(TenantSerializer):
    subject = serializers.CharField(source="case.subject", read_only=True)
    case_status = serializers.CharField(source="case.status", read_only=True)
    unit = serializers.IntegerField(source="case.unit_id", read_only=True)
    person = serializers.IntegerField(source="case.person_id", read_only=True)
    responsible = serializers.IntegerField(source="case.responsible_id", read_only=True)

    class Meta:
        model = LinkedCase
        fields = [
            "id",
            "family_work",
            "case",
            "subject",
            "case_status",
            "unit",
            "person",
            "responsible",
        ]


class LinkedCaseViewSet(CreateThroughService, mixins.DestroyModelMixin, TenantViewSet):
    """Kopplade ärenden: din enhets egna alltid, andra enheters med personens samtycke."""

    serializer_class = LinkedCaseSerializer
    creates = services.case_link
    model = LinkedCase
    select_related = ("case",)
    filterset_fields = ["family_work"]

    def perform_destroy(self, instance):
        services.case_unlink(actor=self.request.user, link=instance)


# Consent ---------------------------------------------------------------------------------


class ConsentSerializer(TenantSerializer):
    units = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.none(), many=True, required=False
    )
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "family_work",
            "person",
            "given_by",
            "purpose",
            "all_units",
            "units",
            "form",
            "given_on",
            "valid_from",
            "valid_to",
            "child_view",
            "child_view_text",
            "note",
            "state",
            "withdrawn_on",
            "withdrawal_reason",
            "recorded_by",
            "recorded_unit",
            "version",
        ]
        read_only_fields = [
            "withdrawn_on",
            "withdrawal_reason",
            "recorded_by",
            "recorded_unit",
            "version",
        ]
        # The service checks the period with a message that says what to fix.
        validators: list[Any] = []


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField()
    withdrawn_on = serializers.DateField(required=False)


class ConsentViewSet(CreateThroughService, TenantViewSet):
    """Samtycken: per person, ändamål och enhet; återkallelse gäller direkt."""

    serializer_class = ConsentSerializer
    model = Consent
    creates = services.consent_record
    filterset_fields = ["family_work", "person", "purpose"]

    def rows(self):
        return (
            super().rows().prefetch_related(Prefetch("units", queryset=OrgUnit.objects.only("pk")))
        )

    @row_action(services.consent_withdraw, "consent", body=WithdrawSerializer)
    def withdraw(self, request, pk=None):
        """Återkalla samtycket: delningen upphör vid nästa anrop."""
