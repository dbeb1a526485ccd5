"""API for family work under /api/v1/, with the rules of the pages: what the consent
rules hide answers 404; every read and write is audited."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinsight.audit.services import audit_read, audit_read_many
from kinsight.cases.models import Case
from kinsight.core.apibase import VersionedSerializer, VersionField
from kinsight.core.models import OrgUnit, User
from kinsight.family import queries, services
from kinsight.family.models import (
    Consent,
    FamilyMeeting,
    FamilyMember,
    FamilyRole,
    FamilyWork,
    FollowUpTask,
    LinkedCase,
    MeetingNote,
    MeetingParticipant,
    Participant,
)
from kinsight.people.models import Person


def _user(serializer):
    request = serializer.context.get("request")
    if request is not None and request.user.is_authenticated:
        return request.user
    return None


class _Scoped:
    """Narrow related-field choices to what the requesting user may see."""

    scoped = {}

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        for name, (model, action_name) in self.scoped.items():
            if name in fields and user is not None:
                field = fields[name]
                target = getattr(field, "child_relation", field)
                target.queryset = model.objects.visible_to(user, action_name)
        return fields


class _Audited(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lists audited as one read row, details as one read row each."""

    model = None
    object_type = ""
    related = ()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        found = self.model.objects.visible_to(self.request.user, "view")
        return found.select_related(*self.related).order_by("pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        audit_read_many(actor=request.user, objects=page, object_type=self.object_type)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit_read(actor=request.user, obj=obj)
        return Response(self.get_serializer(obj).data)


# Family work ---------------------------------------------------------------------------


class ParticipantSerializer(_Scoped, serializers.ModelSerializer):
    family_work = serializers.PrimaryKeyRelatedField(queryset=FamilyWork.objects.none())
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    worker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), allow_null=True, required=False
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    worker_name = serializers.SerializerMethodField()
    scoped = {
        "family_work": (FamilyWork, "change"),
        "unit": (OrgUnit, "view"),
        "worker": (User, "view"),
    }

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


class MemberInputSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    role = serializers.ChoiceField(choices=FamilyRole.choices)

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None:
            fields["person"].queryset = Person.objects.visible_to(user, "view")
        return fields


class FamilyWorkSerializer(_Scoped, VersionedSerializer):
    """The summary every participating unit sees: title, status, dates and the
    participating units with their contacts (never the members without consent)."""

    from_case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    members = MemberInputSerializer(many=True, write_only=True)
    participants = serializers.SerializerMethodField()
    scoped = {"from_case": (Case, "change")}

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


class CloseSerializer(serializers.Serializer):
    version = VersionField()
    ended_on = serializers.DateField(required=False)


class FamilyWorkViewSet(_Audited, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Familjeärenden du deltar i. Utan samtycke syns bara att arbetet finns och vem
    som samordnar."""

    serializer_class = FamilyWorkSerializer
    queryset = FamilyWork.objects.none()
    model = FamilyWork
    object_type = queries.WORK_TYPE
    filterset_fields = ["status"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        found = super().get_queryset()
        return found.prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("unit", "worker").order_by(
                    "-is_coordinator", "pk"
                ),
            )
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.family_work_start(
            actor=self.request.user,
            case=data["from_case"],
            title=data["title"],
            members=[(m["person"], m["role"]) for m in data["members"]],
            started_on=data.get("started_on"),
        )

    def perform_update(self, serializer):
        work = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.family_work_update(
            actor=self.request.user,
            family_work=work,
            expected_version=data["version"],
            title=data.get("title", work.title),
        )

    @extend_schema(request=CloseSerializer, responses=FamilyWorkSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Avsluta familjeärendet (samordnaren)."""
        work = self.get_object()
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        work = services.family_work_close(
            actor=request.user,
            family_work=work,
            expected_version=body.validated_data["version"],
            ended_on=body.validated_data.get("ended_on"),
        )
        return Response(self.get_serializer(work).data)


class ParticipantViewSet(_Audited, mixins.CreateModelMixin):
    """Deltagande enheter: samordnaren lägger till enheter, byter samordnare."""

    serializer_class = ParticipantSerializer
    queryset = Participant.objects.none()
    model = Participant
    object_type = "family.participant"
    related = ("unit", "worker")
    filterset_fields = ["family_work"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.participant_add(
            actor=self.request.user,
            family_work=data["family_work"],
            unit=data["unit"],
            worker=data.get("worker"),
        )

    @extend_schema(request=None, responses=ParticipantSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        """Enheten lämnar familjeärendet och förlorar åtkomsten."""
        participant = services.participant_leave(actor=request.user, participant=self.get_object())
        return Response(self.get_serializer(participant).data)

    @extend_schema(request=None, responses=ParticipantSerializer)
    @action(detail=True, methods=["post"])
    def coordinator(self, request, pk=None):
        """Gör enheten till samordnare."""
        participant = services.coordinator_set(actor=request.user, participant=self.get_object())
        return Response(self.get_serializer(participant).data)


class FamilyMemberSerializer(_Scoped, serializers.ModelSerializer):
    family_work = serializers.PrimaryKeyRelatedField(queryset=FamilyWork.objects.none())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    scoped = {"family_work": (FamilyWork, "change"), "person": (Person, "view")}

    class Meta:
        model = FamilyMember
        fields = ["id", "family_work", "person", "person_name", "role", "ended_on"]
        read_only_fields = ["ended_on"]


class FamilyMemberViewSet(_Audited, mixins.CreateModelMixin):
    """Familjemedlemmar: syns för andra enheter bara med personens samtycke."""

    serializer_class = FamilyMemberSerializer
    queryset = FamilyMember.objects.none()
    model = FamilyMember
    object_type = queries.MEMBER_TYPE
    related = ("person",)
    filterset_fields = ["family_work", "person"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.member_add(
            actor=self.request.user,
            family_work=data["family_work"],
            person=data["person"],
            role=data["role"],
        )

    @extend_schema(request=None, responses=FamilyMemberSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Personen ingår inte längre i familjen (raden finns kvar)."""
        member = services.member_end(actor=request.user, member=self.get_object())
        return Response(self.get_serializer(member).data)


class LinkedCaseSerializer(_Scoped, serializers.ModelSerializer):
    family_work = serializers.PrimaryKeyRelatedField(queryset=FamilyWork.objects.none())
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    subject = serializers.CharField(source="case.subject", read_only=True)
    case_status = serializers.CharField(source="case.status", read_only=True)
    unit = serializers.IntegerField(source="case.unit_id", read_only=True)
    person = serializers.IntegerField(source="case.person_id", read_only=True)
    responsible = serializers.IntegerField(source="case.responsible_id", read_only=True)
    scoped = {"family_work": (FamilyWork, "view"), "case": (Case, "view")}

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


class LinkedCaseViewSet(_Audited, mixins.CreateModelMixin, mixins.DestroyModelMixin):
    """Kopplade ärenden: din enhets egna alltid, andra enheters med personens samtycke."""

    serializer_class = LinkedCaseSerializer
    queryset = LinkedCase.objects.none()
    model = LinkedCase
    object_type = queries.LINK_TYPE
    related = ("case",)
    filterset_fields = ["family_work"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.case_link(
            actor=self.request.user, family_work=data["family_work"], case=data["case"]
        )

    def perform_destroy(self, instance):
        services.case_unlink(actor=self.request.user, link=instance)


# Consent ---------------------------------------------------------------------------------


class ConsentSerializer(_Scoped, serializers.ModelSerializer):
    family_work = serializers.PrimaryKeyRelatedField(queryset=FamilyWork.objects.none())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    given_by = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), allow_null=True, required=False
    )
    units = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.none(), many=True, required=False
    )
    state = serializers.CharField(read_only=True)
    scoped = {
        "family_work": (FamilyWork, "view"),
        "person": (Person, "view"),
        "given_by": (Person, "view"),
        "units": (OrgUnit, "view"),
    }

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
        validators = []


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField()
    withdrawn_on = serializers.DateField(required=False)


class ConsentViewSet(_Audited, mixins.CreateModelMixin):
    """Samtycken: per person, ändamål och enhet; återkallelse gäller direkt."""

    serializer_class = ConsentSerializer
    queryset = Consent.objects.none()
    model = Consent
    object_type = queries.CONSENT_TYPE
    filterset_fields = ["family_work", "person", "purpose"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("units", queryset=OrgUnit.objects.only("pk")))
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.consent_record(
            actor=self.request.user,
            family_work=data.pop("family_work"),
            person=data.pop("person"),
            purpose=data.pop("purpose"),
            form=data.pop("form"),
            units=data.pop("units", []),
            **data,
        )

    @extend_schema(request=WithdrawSerializer, responses=ConsentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Återkalla samtycket: delningen upphör vid nästa anrop."""
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        consent = services.consent_withdraw(
            actor=request.user,
            consent=self.get_object(),
            reason=body.validated_data["reason"],
            withdrawn_on=body.validated_data.get("withdrawn_on"),
        )
        return Response(self.get_serializer(consent).data)


# Meetings --------------------------------------------------------------------------------


class MeetingParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingParticipant
        fields = ["kind", "person", "unit", "user", "external"]


class FamilyMeetingSerializer(_Scoped, VersionedSerializer):
    family_work = serializers.PrimaryKeyRelatedField(queryset=FamilyWork.objects.none())
    members = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), many=True, write_only=True, required=False
    )
    staff = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), many=True, write_only=True, required=False
    )
    externals = serializers.ListField(
        child=serializers.CharField(max_length=200), write_only=True, required=False
    )
    participants = MeetingParticipantSerializer(many=True, read_only=True)
    scoped = {
        "family_work": (FamilyWork, "view"),
        "members": (Person, "view"),
        "staff": (User, "view"),
    }

    class Meta:
        model = FamilyMeeting
        fields = [
            "id",
            "family_work",
            "unit",
            "held_on",
            "place",
            "agenda",
            "members",
            "staff",
            "externals",
            "participants",
            "created_by",
            "version",
        ]
        read_only_fields = ["unit", "created_by"]


class FamilyMeetingViewSet(_Audited, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Familjemöten: andra enheter ser dem när hela familjen har samtyckt."""

    serializer_class = FamilyMeetingSerializer
    queryset = FamilyMeeting.objects.none()
    model = FamilyMeeting
    object_type = queries.MEETING_TYPE
    filterset_fields = ["family_work"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("participants")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.meeting_create(
            actor=self.request.user,
            family_work=data["family_work"],
            held_on=data["held_on"],
            place=data.get("place", ""),
            agenda=data.get("agenda", ""),
            members=data.get("members", []),
            staff=data.get("staff", []),
            externals=data.get("externals", []),
        )

    def perform_update(self, serializer):
        meeting = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.meeting_update(
            actor=self.request.user,
            meeting=meeting,
            expected_version=data["version"],
            held_on=data.get("held_on", meeting.held_on),
            place=data.get("place", meeting.place),
            agenda=data.get("agenda", meeting.agenda),
        )


class MeetingNoteSerializer(_Scoped, VersionedSerializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=FamilyMeeting.objects.none())
    corrects = serializers.PrimaryKeyRelatedField(
        queryset=MeetingNote.objects.none(), allow_null=True, required=False
    )
    scoped = {"meeting": (FamilyMeeting, "change"), "corrects": (MeetingNote, "view")}

    class Meta:
        model = MeetingNote
        fields = [
            "id",
            "meeting",
            "author",
            "text",
            "corrects",
            "created_at",
            "updated_at",
            "signed_at",
            "signed_by",
            "version",
        ]
        read_only_fields = ["author", "created_at", "updated_at", "signed_at", "signed_by"]


class MinutesSignSerializer(serializers.Serializer):
    text = serializers.CharField()
    version = VersionField()


class MeetingNoteViewSet(_Audited, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Mötesprotokoll: utkast (bara ditt eget), signering, rättelser som nya protokoll."""

    serializer_class = MeetingNoteSerializer
    queryset = MeetingNote.objects.none()
    model = MeetingNote
    object_type = queries.NOTE_TYPE
    filterset_fields = ["meeting"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.minutes_create(
            actor=self.request.user,
            meeting=data["meeting"],
            text=data.get("text", ""),
            corrects=data.get("corrects"),
        )

    def perform_update(self, serializer):
        note = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.minutes_save(
            actor=self.request.user,
            note=note,
            text=data.get("text", note.text),
            expected_version=data["version"],
        )

    @extend_schema(request=MinutesSignSerializer, responses=MeetingNoteSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Signera protokollet: det kan sedan aldrig ändras."""
        body = MinutesSignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = services.minutes_sign(
            actor=request.user,
            note=self.get_object(),
            text=body.validated_data["text"],
            expected_version=body.validated_data["version"],
        )
        return Response(self.get_serializer(note).data)


# Follow-up tasks -------------------------------------------------------------------------


class FollowUpTaskSerializer(_Scoped, VersionedSerializer):
    family_work = serializers.PrimaryKeyRelatedField(queryset=FamilyWork.objects.none())
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=FamilyMeeting.objects.none(), allow_null=True, required=False
    )
    responsible_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    responsible = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), allow_null=True, required=False
    )
    scoped = {
        "family_work": (FamilyWork, "view"),
        "meeting": (FamilyMeeting, "view"),
        "responsible_unit": (OrgUnit, "view"),
        "responsible": (User, "view"),
    }

    class Meta:
        model = FollowUpTask
        fields = [
            "id",
            "family_work",
            "meeting",
            "title",
            "decision",
            "due_on",
            "responsible_unit",
            "responsible",
            "done_on",
            "done_by",
            "outcome",
            "version",
        ]
        read_only_fields = ["done_on", "done_by", "outcome"]


class CompleteSerializer(serializers.Serializer):
    version = VersionField()
    outcome = serializers.CharField(required=False, allow_blank=True)
    done_on = serializers.DateField(required=False)


class FollowUpTaskViewSet(_Audited, mixins.CreateModelMixin):
    """Uppföljningsuppgifter med ansvarig enhet och datum (hamnar i arbetskön)."""

    serializer_class = FollowUpTaskSerializer
    queryset = FollowUpTask.objects.none()
    model = FollowUpTask
    object_type = queries.TASK_TYPE
    filterset_fields = ["family_work", "meeting", "responsible", "responsible_unit"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.task_create(
            actor=self.request.user,
            family_work=data["family_work"],
            title=data["title"],
            due_on=data["due_on"],
            responsible_unit=data["responsible_unit"],
            responsible=data.get("responsible"),
            decision=data.get("decision", ""),
            meeting=data.get("meeting"),
        )

    @extend_schema(request=CompleteSerializer, responses=FollowUpTaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Markera uppgiften som klar."""
        body = CompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = services.task_complete(
            actor=request.user,
            task=self.get_object(),
            expected_version=body.validated_data["version"],
            outcome=body.validated_data.get("outcome", ""),
            done_on=body.validated_data.get("done_on"),
        )
        return Response(self.get_serializer(task).data, status=status.HTTP_200_OK)
