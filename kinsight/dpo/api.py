"""The register extract in the API, for log reviewers only (everyone else 404): the
register of requests, a new request, compile, review, release or refuse, and the
released extract as JSON (audited as an export)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kinsight.accounts.reauth import check_api_export
from kinsight.core.apibase import (
    InputSerializer,
    ReadOnlySerializer,
    TenantViewSet,
    VersionedInputSerializer,
)
from kinsight.dpo import services
from kinsight.dpo.models import ExtractRequest, ExtractStatus
from kinsight.ui.exports import watermark, with_mark


class ExtractRequestSerializer(ReadOnlySerializer):
    class Meta:
        model = ExtractRequest
        fields = [
            "id",
            "person",
            "received_on",
            "due_on",
            "requested_via",
            "status",
            "compiled_at",
            "reviewed_at",
            "released_at",
            "release_note",
            "version",
            "extract",
        ]


class NewExtractRequestSerializer(InputSerializer):
    identifier = serializers.CharField(
        max_length=20, help_text="Personnummer eller samordningsnummer"
    )
    received_on = serializers.DateField()
    requested_via = serializers.CharField(max_length=200, required=False, default="")


class ExtractReviewSerializer(VersionedInputSerializer):
    decisions = serializers.DictField(
        child=serializers.ChoiceField(choices=[services.RELEASE, services.WITHHOLD]),
        help_text="Per flaggad uppgift (nyckel): release eller withhold.",
    )


class ExtractNoteSerializer(VersionedInputSerializer):
    note = serializers.CharField(required=False, default="", allow_blank=True)


class ExtractRequestViewSet(TenantViewSet):
    """Registerutdrag (GDPR art. 15): begäranden, sammanställning, granskning och
    utlämnande. Bara för loggranskare."""

    model = ExtractRequest
    serializer_class = ExtractRequestSerializer
    select_related = ("person",)
    order_by = ("due_on", "pk")

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not getattr(request.user, "is_log_reviewer", False):
            raise exceptions.NotFound

    @extend_schema(request=NewExtractRequestSerializer, responses={201: ExtractRequestSerializer})
    def create(self, request: Any) -> Response:
        """Registrera en begäran om registerutdrag."""
        return self.act(
            NewExtractRequestSerializer,
            services.extract_request_create,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=VersionedInputSerializer, responses=ExtractRequestSerializer)
    @action(detail=True, methods=["post"], access="change")
    def compile(self, request: Any, pk: Any = None) -> Response:
        """Sammanställ allt om personen (varje läsning loggas med skälet registerutdrag)."""
        return self.act(
            VersionedInputSerializer, services.extract_compile, request=self.get_object()
        )

    @extend_schema(request=ExtractReviewSerializer, responses=ExtractRequestSerializer)
    @action(detail=True, methods=["post"], access="change")
    def review(self, request: Any, pk: Any = None) -> Response:
        """Pröva varje flaggad uppgift: lämna ut eller sekretess."""
        return self.act(ExtractReviewSerializer, services.extract_review, request=self.get_object())

    @extend_schema(request=ExtractNoteSerializer, responses=ExtractRequestSerializer)
    @action(detail=True, methods=["post"], access="change")
    def release(self, request: Any, pk: Any = None) -> Response:
        """Lämna ut det granskade registerutdraget."""
        return self.act(ExtractNoteSerializer, services.extract_release, request=self.get_object())

    @extend_schema(request=ExtractNoteSerializer, responses=ExtractRequestSerializer)
    @action(detail=True, methods=["post"], access="change")
    def refuse(self, request: Any, pk: Any = None) -> Response:
        """Avslå begäran (med skäl)."""
        return self.act(ExtractNoteSerializer, services.extract_refuse, request=self.get_object())

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"], access="export")
    def document(self, request: Any, pk: Any = None) -> Response:
        """Det utlämnade registerutdraget som JSON, utan det som hålls inne (loggas som export)."""
        check_api_export(request)
        obj = self.get_object()
        if obj.status != ExtractStatus.RELEASED:
            raise exceptions.NotFound
        document = services.extract_export(actor=request.user, request=obj, fmt="json")
        return Response(with_mark(document, watermark(request.user)))
