"""Cycles and what hangs on them through the API: sessions with their attendance,
participants (waiting list, start, finish, drop), measurements and one-time codes.
A cycle is seen by its leaders and by those who keep the groups; everything about its
participants by its leaders only (kinsight.groups.access): anyone else gets 404.
Every read of a participant's data is audited, every write goes through a service."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kinsight.assessment.models import Instrument
from kinsight.core.apiactions import row_action
from kinsight.core.apibase import (
    CreateThroughService,
    InputSerializer,
    ReadOnlySerializer,
    TenantSerializer,
    TenantViewSet,
    UpdateThroughService,
    VersionedInputSerializer,
    VersionedSerializer,
)
from kinsight.core.models import User
from kinsight.groups import services
from kinsight.groups.models import (
    Attendance,
    Cycle,
    GroupParticipant,
    Measurement,
    MeasurementCode,
    Point,
    Presence,
    Session,
)
from kinsight.groups.rules import consent_missing, own_consent_age
from kinsight.groups.services.cycles import CHANGEABLE, CYCLE_FIELDS, PARTICIPANT_FIELDS
from kinsight.groups.services.intake import participant_from_referral
from kinsight.groups.services.measurements import CODE_DAYS
from kinsight.interventions.models import Referral

# Cycles and sessions -------------------------------------------------------------------


class CycleSerializer(VersionedSerializer):
    # Declared: DRF leaves a many-to-many through its own table read-only.
    leaders = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all())

    class Meta:
        model = Cycle
        fields = ["id", *CYCLE_FIELDS, "leaders", "version"]


class CycleViewSet(CreateThroughService, UpdateThroughService, TenantViewSet):
    """Gruppomgångar: datum, stadsdel, lokal och gruppledare (inga deltagare). Planeras
    av systemförvaltare och IFO-chefer; gruppledaren ser sina egna. PATCH ändrar
    benämning, lokal, platser, datum, gruppledare och den öppna listan (program och
    stadsdel ligger fast); platserna blir inte färre än deltagarna som väntar eller är med."""

    model = Cycle
    serializer_class = CycleSerializer
    creates = services.cycle_create
    updates = services.cycle_update
    updated_as = "cycle"
    update_fields = (*CHANGEABLE, "leaders")
    prefetch_related = ("leaders",)
    order_by = ("-start_on", "pk")
    filterset_fields = ["programme", "district"]


class SessionSerializer(TenantSerializer):
    related_access = {"cycle": "change"}

    class Meta:
        model = Session
        fields = ["id", "cycle", "number", "held_on", "theme"]
        read_only_fields = ["number"]


class AttendanceSerializer(ReadOnlySerializer):
    class Meta:
        model = Attendance
        fields = ["id", "session", "participant", "presence"]


class PresenceSerializer(InputSerializer):
    presence = serializers.DictField(
        child=serializers.ChoiceField(choices=Presence.choices),
        help_text='Närvaro per deltagar-id, t.ex. {"12": "present", "13": "excused"}.',
    )

    def validate_presence(self, value):
        if not all(str(key).isdigit() for key in value):
            raise serializers.ValidationError("Ange deltagarnas id som nycklar.")
        return {int(key): presence for key, presence in value.items()}


class SessionViewSet(CreateThroughService, TenantViewSet):
    """Gruppträffar i en gruppomgång (numreras i tur och ordning). Närvaron registreras
    med POST …/attendance/ när träffen har varit."""

    model = Session
    serializer_class = SessionSerializer
    creates = services.session_add
    order_by = ("cycle", "number")
    filterset_fields = ["cycle"]

    @extend_schema(request=PresenceSerializer, responses=AttendanceSerializer(many=True))
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Registrera närvaron vid träffen (en träff i framtiden svarar 400)."""
        presence = self.body(PresenceSerializer)["presence"]
        rows = services.attendance_record(
            actor=request.user, session=self.get_object(), presence=presence
        )
        return Response(AttendanceSerializer(rows, many=True).data)


class AttendanceViewSet(TenantViewSet):
    """Närvaron per träff och deltagare (gruppomgångens ledare)."""

    model = Attendance
    serializer_class = AttendanceSerializer
    select_related = ("participant",)
    order_by = ("session", "participant")
    filterset_fields = ["session", "participant"]


# Participants ----------------------------------------------------------------------------


class GroupParticipantSerializer(TenantSerializer):
    related_access = {"cycle": "change"}
    measurement_refused = serializers.SerializerMethodField(
        help_text="Vilket samtycke till mätning som saknas i dag, eller null om mätning får göras."
    )

    class Meta:
        model = GroupParticipant
        fields = [
            "id",
            *PARTICIPANT_FIELDS,
            "status",
            "joined_on",
            "ended_on",
            "dropped_reason",
            "measurement_refused",
            "created_at",
            "version",
        ]
        read_only_fields = [
            "status",
            "joined_on",
            "ended_on",
            "dropped_reason",
            "created_at",
            "version",
        ]

    def get_measurement_refused(self, obj) -> str | None:
        # The own-consent age read once per response: a list's rows share the root.
        ages: dict[int, int] = self.root.__dict__.setdefault("own_consent_ages", {})
        if obj.municipality_id not in ages:
            ages[obj.municipality_id] = own_consent_age(obj.municipality_id)
        day = timezone.localdate()
        return consent_missing(obj, from_age=ages[obj.municipality_id], day=day)


class MoveSerializer(VersionedInputSerializer):
    on = serializers.DateField(required=False, help_text="Datum (i dag om det utelämnas).")


class DropSerializer(MoveSerializer):
    reason = serializers.CharField(help_text="Varför deltagaren avbröt.")


class ParticipantConsentSerializer(VersionedInputSerializer):
    measurement_consent = serializers.BooleanField(
        help_text="Vårdnadshavarens samtycke för ett barn, deltagarens eget från 18 år."
    )
    own_consent = serializers.BooleanField(
        help_text="Barnets eget samtycke (krävs från kommunens inställda ålder till 18 år)."
    )


class FromReferralSerializer(InputSerializer):
    related_access = {"cycle": "change", "referral": "change"}
    cycle = serializers.PrimaryKeyRelatedField(queryset=Cycle.objects.all())
    referral = serializers.PrimaryKeyRelatedField(queryset=Referral.objects.all())


def _today(participant):
    """A move's day when the body names none: today."""
    return {"on": timezone.localdate()}


class GroupParticipantViewSet(CreateThroughService, TenantViewSet):
    """Deltagare i en gruppomgång: en person i registret eller anonym (åldersgrupp,
    kön, stadsdel). Läggs på väntelistan; POST …/start/, …/finish/ och …/drop/ (med
    orsak) flyttar dem vidare."""

    model = GroupParticipant
    serializer_class = GroupParticipantSerializer
    creates = services.participant_add
    select_related = ("person",)  # the age the consents depend on
    filterset_fields = ["cycle", "status"]

    @extend_schema(request=FromReferralSerializer, responses=GroupParticipantSerializer)
    @action(detail=False, methods=["post"], url_path="from-referral")
    def from_referral(self, request):
        """Ta emot personen i en öppen remiss till utförarens enhet i en gruppomgång man
        leder: väntelistan, och remissen blir accepterad."""
        return self.act(
            FromReferralSerializer, participant_from_referral, status=status.HTTP_201_CREATED
        )

    @row_action(services.participant_start, "participant", body=MoveSerializer, defaults=_today)
    def start(self, request, pk=None):
        """Från väntelistan in i gruppen."""

    @row_action(services.participant_finish, "participant", body=MoveSerializer, defaults=_today)
    def finish(self, request, pk=None):
        """Deltagaren har fullföljt programmet."""

    @row_action(services.participant_drop, "participant", body=DropSerializer, defaults=_today)
    def drop(self, request, pk=None):
        """Deltagaren avbröt (från väntelistan eller gruppen), med orsak."""

    @row_action(services.participant_consent, "participant", body=ParticipantConsentSerializer)
    def consent(self, request, pk=None):
        """Samtycke till mätning som det är nu (givet eller återkallat)."""


# Measurements and one-time codes ---------------------------------------------------------


class MeasurementSerializer(TenantSerializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='Poäng per frågenummer, t.ex. {"1": 3, "2": 4}; summan räknas ut.',
    )
    answered_on = serializers.DateField(default=timezone.localdate)
    related_access = {"participant": "change"}

    class Meta:
        model = Measurement
        fields = [
            "id",
            "participant",
            "instrument",
            "point",
            "answered_on",
            "answers",
            "total_score",
            "entered_by",
            "created_at",
        ]
        read_only_fields = ["total_score", "entered_by", "created_at"]
        validators: list = []  # a measurement made twice: the service says so (400)


class MeasurementViewSet(CreateThroughService, TenantViewSet):
    """Mätningar före, efter och vid uppföljning, enligt programmets mätplan och med
    deltagarens samtycke. Svaren kontrolleras mot instrumentets frågor."""

    model = Measurement
    serializer_class = MeasurementSerializer
    creates = services.measurement_record
    select_related = ("participant",)
    filterset_fields = ["participant", "instrument", "point"]


class CodeSerializer(ReadOnlySerializer):
    class Meta:
        model = MeasurementCode
        fields = [
            "id",
            "participant",
            "instrument",
            "point",
            "expires_at",
            "used_at",
            "created_by",
            "created_at",
        ]


class CodeIssueSerializer(InputSerializer):
    participant = serializers.PrimaryKeyRelatedField(queryset=GroupParticipant.objects.none())
    instrument = serializers.PrimaryKeyRelatedField(queryset=Instrument.objects.none())
    point = serializers.ChoiceField(choices=Point.choices)
    related_access = {"participant": "change"}


ISSUED = inline_serializer(
    "MeasurementCodeIssued",
    {
        "code": serializers.CharField(help_text="Visas bara nu; sparas bara som hash."),
        "participant": serializers.IntegerField(),
        "instrument": serializers.IntegerField(),
        "point": serializers.CharField(),
        "valid_days": serializers.IntegerField(),
    },
)


class MeasurementCodeViewSet(TenantViewSet):
    """Engångskoder: deltagaren svarar själv på sin telefon utan konto. Koden visas en
    gång när den skapas (POST), gäller en enkät och går ut efter ett antal dagar."""

    model = MeasurementCode
    serializer_class = CodeSerializer
    select_related = ("participant",)
    order_by = ("-created_at", "-pk")
    filterset_fields = ["participant"]

    @extend_schema(request=CodeIssueSerializer, responses={201: ISSUED})
    def create(self, request, *args, **kwargs):
        body = self.body(CodeIssueSerializer)
        code = services.code_issue(actor=request.user, **body)
        answer = {
            "code": code,
            "participant": body["participant"].pk,
            "instrument": body["instrument"].pk,
            "point": body["point"],
            "valid_days": CODE_DAYS,
        }
        return Response(answer, status=status.HTTP_201_CREATED)
