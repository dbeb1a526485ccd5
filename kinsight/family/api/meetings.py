"""API for family meetings, their minutes and the follow-up tasks decided there, with
the rules of the pages: others' units see a meeting when the whole family has consented."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from kinsight.core.apibase import (
    NOTE_FIELDS,
    NOTE_READ_ONLY,
    CreateThroughService,
    SignedNoteViewSet,
    TenantViewSet,
    UpdateThroughService,
    VersionedInputSerializer,
    VersionedSerializer,
)
from kinsight.core.models import User
from kinsight.family import services
from kinsight.family.models import (
    FamilyMeeting,
    FollowUpTask,
    MeetingNote,
    MeetingParticipant,
)
from kinsight.people.models import Person

# Meetings --------------------------------------------------------------------------------


class MeetingParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingParticipant
        fields = ["kind", "person", "unit", "user", "external"]


class FamilyMeetingSerializer(VersionedSerializer):
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


class FamilyMeetingViewSet(CreateThroughService, UpdateThroughService, TenantViewSet):
    """Familjemöten: andra enheter ser dem när hela familjen har samtyckt."""

    serializer_class = FamilyMeetingSerializer
    creates = services.meeting_create
    updates = services.meeting_update
    updated_as = "meeting"
    update_fields = ("held_on", "place", "agenda")
    model = FamilyMeeting
    filterset_fields = ["family_work"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    prefetch_related = ("participants",)


class MeetingNoteSerializer(VersionedSerializer):
    related_access = {"meeting": "change"}

    class Meta:
        model = MeetingNote
        fields = ["id", "meeting", *NOTE_FIELDS]
        read_only_fields = NOTE_READ_ONLY


class MeetingNoteViewSet(SignedNoteViewSet):
    """Mötesprotokoll: utkast (bara ditt eget), signering, rättelser som nya protokoll."""

    serializer_class = MeetingNoteSerializer
    creates = services.minutes_create
    updates = services.minutes_save
    signs = services.minutes_sign
    model = MeetingNote
    filterset_fields = ["meeting"]
    http_method_names = ["get", "post", "patch", "head", "options"]


# Follow-up tasks -------------------------------------------------------------------------


class FollowUpTaskSerializer(VersionedSerializer):
    class Meta:
        model = FollowUpTask
        fields = ["id", *services.TASK_FIELDS, "done_by", "version"]
        read_only_fields = ["done_on", "done_by", "outcome"]


class CompleteSerializer(VersionedInputSerializer):
    outcome = serializers.CharField(required=False, allow_blank=True)
    done_on = serializers.DateField(required=False)


class FollowUpTaskViewSet(CreateThroughService, TenantViewSet):
    """Uppföljningsuppgifter med ansvarig enhet och datum (hamnar i arbetskön)."""

    serializer_class = FollowUpTaskSerializer
    creates = services.task_create
    model = FollowUpTask
    filterset_fields = ["family_work", "meeting", "responsible", "responsible_unit"]

    @extend_schema(request=CompleteSerializer, responses=FollowUpTaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Markera uppgiften som klar."""
        return self.act(CompleteSerializer, services.task_complete, task=self.get_object())
