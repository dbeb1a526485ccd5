"""API for cases and journal notes under /api/v1/, with the rules of the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from kinsight.cases import services
from kinsight.cases.models import Case, CaseStatus, JournalNote
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


class CaseSerializer(VersionedSerializer):
    class Meta:
        model = Case
        fields = ["id", *services.CASE_FIELDS, "version"]
        read_only_fields = ["status", "responsible", "closed_on"]


class StatusChangeSerializer(VersionedInputSerializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices)


class AssignSerializer(VersionedInputSerializer):
    responsible = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())


class CaseViewSet(CreateThroughService, UpdateThroughService, TenantViewSet):
    """Ärenden i dina enheter och där du är ansvarig."""

    model = Case
    serializer_class = CaseSerializer
    creates = services.case_open
    updates = services.case_update
    updated_as = "case"
    update_fields = ("subject", "legal_basis")
    filterset_fields = ["status", "unit", "person", "responsible"]
    order_by = ("-opened_on", "-pk")

    @extend_schema(request=StatusChangeSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Ändra status enligt statusflödet."""
        return self.act(StatusChangeSerializer, services.case_change_status, case=self.get_object())

    @extend_schema(request=AssignSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Enhetschefen fördelar ärendet till en handläggare i enheten."""
        return self.act(AssignSerializer, services.case_assign, case=self.get_object())


class NoteSerializer(VersionedSerializer):
    class Meta:
        model = JournalNote
        fields = ["id", "case", "unit", *NOTE_FIELDS]
        read_only_fields = ["unit", *NOTE_READ_ONLY]


class NoteViewSet(SignedNoteViewSet):
    """Journalanteckningar: utkast (bara ditt eget), signering, rättelser."""

    model = JournalNote
    serializer_class = NoteSerializer
    creates = services.note_create
    updates = services.note_save_draft
    signs = services.note_sign
    filterset_fields = ["case"]
    order_by = ("-created_at", "-pk")
