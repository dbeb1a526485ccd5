"""API: imports under /api/v1/imports/ (administrators only; 404 for everyone else and
for another municipality's imports): upload a file (its dry run queued), follow the
state and counts, read the dry run's rows (paged), download the error report, run and
undo. The same services as the pages (kinsight.imports.services)."""

from typing import cast

from django.core.paginator import Paginator
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from kinsight.audit.services import audit_read
from kinsight.core.apiactions import row_action
from kinsight.core.apibase import InputSerializer, ReadOnlySerializer, TenantViewSet
from kinsight.core.models import User
from kinsight.imports import formats, queries, services
from kinsight.imports.models import Import, ImportKind
from kinsight.imports.views import _download


class ImportSerializer(ReadOnlySerializer):
    class Meta:
        model = Import
        fields = [
            "id",
            "kind",
            "file_name",
            "file_format",
            "state",
            "progress",
            "message",
            "counts",
            "uploaded_by",
            "uploaded_at",
            "started_at",
            "finished_at",
        ]


class UploadSerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices, help_text="Vad filen innehåller.")
    file = serializers.FileField(help_text="CSV (UTF-8) eller Excel (.xlsx), högst 20 MB.")


class ReportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Raden i filen (1 är kolumnnamnen).")
    outcome = serializers.CharField(help_text="created, updated, unchanged eller refused.")
    key = serializers.CharField()
    reason = serializers.CharField()


FILE = {(200, content_type): OpenApiTypes.BINARY for content_type in formats.FORMATS.values()}
PAGE = OpenApiParameter("page", int, description="Sidan (500 rader per sida).")


class ImportViewSet(mixins.CreateModelMixin, TenantViewSet):
    """Importer från ett tidigare system (systemförvaltare): ladda upp en fil (POST,
    multipart; provkörs i bakgrunden), följ status och antal, läs provkörningen rad
    för rad, starta importen, ångra den."""

    model = Import
    serializer_class = ImportSerializer
    parser_classes = [MultiPartParser]
    audit_reads = ()  # state and counts only; the rows are audited by ``rows``
    order_by = ("-uploaded_at", "-id")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not cast(User, request.user).is_administrator:
            raise Http404

    def rows(self):
        return queries.imports(self.request.user)

    @extend_schema(request=UploadSerializer, responses={201: ImportSerializer})
    def create(self, request, *args, **kwargs):
        body = self.body(UploadSerializer)
        upload = body["file"]
        run = services.import_upload(
            actor=request.user, kind=body["kind"], name=upload.name, data=upload.read()
        )
        return self.respond(run, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[PAGE], responses=ReportRowSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="rows")
    def report_rows(self, request, pk=None):
        """Provkörningens rader: utfall och orsak per rad, 500 per sida."""
        run = queries.import_get(request.user, pk, with_report=True)
        audit_read(actor=request.user, obj=run)
        page = Paginator(run.report, 500).get_page(request.query_params.get("page"))
        keys = ("line", "outcome", "key", "reason")
        rows = [dict(zip(keys, row, strict=True)) for row in page.object_list]
        return Response(ReportRowSerializer(rows, many=True).data)

    def _file(self, request, pk, fmt):
        run = queries.import_get(request.user, pk, "export", with_report=True)
        data = services.import_report_export(actor=request.user, run=run, file_format=fmt)
        return _download(data, fmt, f"provkorning-{run.pk}")

    @extend_schema(responses=FILE)
    @action(detail=True, methods=["get"])
    def csv(self, request, pk=None):
        """Felrapporten (provkörningens rader) som CSV."""
        return self._file(request, pk, "csv")

    @extend_schema(responses=FILE)
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        """Felrapporten som Excel."""
        return self._file(request, pk, "xlsx")

    @row_action(services.import_start, "run", access="change")
    def run(self, request, pk=None):
        """Starta en provkörd import (i bakgrunden, i omgångar)."""

    @row_action(services.import_undo, "run", access="change")
    def undo(self, request, pk=None):
        """Ångra en genomförd import, om inget av det den skrev har ändrats sedan."""


ROUTES: list[tuple[str, type, str]] = [("imports", ImportViewSet, "import")]
