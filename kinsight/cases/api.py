"""API for cases and journal notes under /api/v1/, with the rules of the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinsight.audit.services import audit_read, audit_read_many
from kinsight.cases import queries, services
from kinsight.cases.models import Case, CaseStatus, JournalNote, LegalReference
from kinsight.core.apibase import VersionedSerializer, VersionField
from kinsight.core.models import OrgUnit, User
from kinsight.people.models import Person


class CaseSerializer(VersionedSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    legal_basis = serializers.PrimaryKeyRelatedField(
        queryset=LegalReference.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "person",
            "unit",
            "status",
            "responsible",
            "legal_basis",
            "subject",
            "opened_on",
            "closed_on",
            "version",
        ]
        read_only_fields = ["status", "responsible", "closed_on"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["person"].queryset = Person.objects.visible_to(request.user, "view")
            fields["unit"].queryset = OrgUnit.objects.filter(
                municipality_id=request.user.municipality_id
            )
        return fields


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    version = VersionField()


class AssignSerializer(serializers.Serializer):
    responsible = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    version = VersionField()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["responsible"].queryset = User.objects.visible_to(request.user, "view")
        return fields


class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Ärenden i dina enheter och där du är ansvarig."""

    serializer_class = CaseSerializer
    queryset = Case.objects.none()
    filterset_fields = ["status", "unit", "person", "responsible"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        return Case.objects.visible_to(self.request.user, "view").order_by("-opened_on", "-pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        audit_read_many(actor=request.user, objects=page, object_type=queries.CASE_TYPE)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        audit_read(actor=request.user, obj=case)
        return Response(self.get_serializer(case).data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.case_open(
            actor=self.request.user,
            person=data["person"],
            unit=data["unit"],
            subject=data["subject"],
            legal_basis=data.get("legal_basis"),
            opened_on=data.get("opened_on"),
        )

    def perform_update(self, serializer):
        case = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.case_update(
            actor=self.request.user,
            case=case,
            expected_version=data["version"],
            subject=data.get("subject", case.subject),
            legal_basis=data.get("legal_basis", case.legal_basis),
        )

    @extend_schema(request=StatusChangeSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Ändra status enligt statusflödet."""
        case = self.get_object()
        body = StatusChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.case_change_status(
            actor=request.user,
            case=case,
            status=body.validated_data["status"],
            expected_version=body.validated_data["version"],
        )
        return Response(self.get_serializer(case).data)

    @extend_schema(request=AssignSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Enhetschefen fördelar ärendet till en handläggare i enheten."""
        case = self.get_object()
        body = AssignSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        case = services.case_assign(
            actor=request.user,
            case=case,
            responsible=body.validated_data["responsible"],
            expected_version=body.validated_data["version"],
        )
        return Response(self.get_serializer(case).data)


class NoteSerializer(VersionedSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    corrects = serializers.PrimaryKeyRelatedField(
        queryset=JournalNote.objects.none(), allow_null=True, required=False
    )

    class Meta:
        model = JournalNote
        fields = [
            "id",
            "case",
            "author",
            "unit",
            "text",
            "corrects",
            "created_at",
            "updated_at",
            "signed_at",
            "signed_by",
            "version",
        ]
        read_only_fields = ["author", "unit", "created_at", "updated_at", "signed_at", "signed_by"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["case"].queryset = Case.objects.visible_to(request.user, "view")
            fields["corrects"].queryset = JournalNote.objects.visible_to(request.user, "view")
        return fields


class SignSerializer(serializers.Serializer):
    text = serializers.CharField()
    version = VersionField()


class NoteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Journalanteckningar: utkast (bara ditt eget), signering, rättelser."""

    serializer_class = NoteSerializer
    queryset = JournalNote.objects.none()
    filterset_fields = ["case"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return JournalNote.objects.none()
        return JournalNote.objects.visible_to(self.request.user, "view").order_by(
            "-created_at", "-pk"
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        audit_read_many(actor=request.user, objects=page, object_type=queries.NOTE_TYPE)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        note = self.get_object()
        audit_read(actor=request.user, obj=note)
        return Response(self.get_serializer(note).data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.note_create(
            actor=self.request.user,
            case=data["case"],
            text=data.get("text", ""),
            corrects=data.get("corrects"),
        )

    def perform_update(self, serializer):
        note = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.note_save_draft(
            actor=self.request.user,
            note=note,
            text=data.get("text", note.text),
            expected_version=data["version"],
        )

    @extend_schema(request=SignSerializer, responses=NoteSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Signera: texten låses och kan aldrig ändras."""
        note = self.get_object()
        body = SignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = services.note_sign(
            actor=request.user,
            note=note,
            text=body.validated_data["text"],
            expected_version=body.validated_data["version"],
        )
        return Response(self.get_serializer(note).data)
