"""API: the annual report (årsrapport) under /api/v1/followup/annual-reports/, with the
pages' rules (kinsight.followup.annual): the reports of the nodes in the actor's scope
(unit managers and heads of services; 404 for anyone else and outside the scope), a
new one queued for the background worker, its status and progress, the PDF and the
workbook (audited as exports), and the section texts with their versions (written by
heads of services: 403 for a unit manager who sees the report)."""

from typing import cast

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kinsight.accounts.reauth import check_api_export
from kinsight.core.apibase import InputSerializer, ReadOnlySerializer, TenantViewSet
from kinsight.core.models import User
from kinsight.followup.annual import queries, services
from kinsight.followup.annual.forms import section_titles
from kinsight.followup.annual.models import AnnualReport, ReportStatus
from kinsight.followup.annual.views import FILES, file_download
from kinsight.followup.queries import can_see_dashboard


class AnnualReportSerializer(ReadOnlySerializer):
    scope_name = serializers.CharField(source="scope_unit.name", read_only=True)
    files = serializers.SerializerMethodField(
        help_text="Filernas adresser (pdf, xlsx) när rapporten är klar."
    )

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "year",
            "scope_unit",
            "scope_name",
            "status",
            "progress",
            "message",
            "requested_by",
            "requested_at",
            "finished_at",
            "files",
        ]

    def get_files(self, obj) -> dict[str, str]:
        if obj.status != ReportStatus.DONE:
            return {}
        return {fmt: f"/api/v1/followup/annual-reports/{obj.pk}/{fmt}/" for fmt in FILES}


class AnnualRequestSerializer(InputSerializer):
    year = serializers.IntegerField(help_text="Året rapporten gäller.")
    scope_unit = serializers.IntegerField(
        help_text="Id för nämnden, förvaltningen, stadsdelen eller enheten (den du ser "
        "nyckeltalen för)."
    )

    def validate_scope_unit(self, value):
        nodes = {node.pk: node for node in queries.scope_choices(self.context["request"].user)}
        if value not in nodes:
            raise serializers.ValidationError("Välj en enhet som du ser nyckeltalen för.")
        return nodes[value]


class SectionTextSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(help_text="0 när avsnittet ännu saknar text.")


class TextsSaveSerializer(InputSerializer):
    texts = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=20000),
        help_text='Text per avsnitt, t.ex. {"detection": "Året präglades av …"}.',
    )
    versions = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        help_text="Versionen varje text lästes i (0 för ett avsnitt utan text).",
    )

    def validate_texts(self, value):
        unknown = set(value) - {key for key, _title in section_titles()}
        if unknown:
            raise serializers.ValidationError(f"Okända avsnitt: {', '.join(sorted(unknown))}.")
        return value


FILE = {(200, content_type): OpenApiTypes.BINARY for content_type, _ext in FILES.values()}


class AnnualReportViewSet(mixins.CreateModelMixin, TenantViewSet):
    """Årsrapporter för de enheter du ser nyckeltalen för: beställ en (POST, skapas i
    bakgrunden), följ status och hur långt den kommit, hämta PDF och Excel, läs och
    skriv avsnittens texter (IFO-chefer)."""

    model = AnnualReport
    serializer_class = AnnualReportSerializer
    audit_reads = ()  # figures with small counts hidden: no personal data
    order_by = ("-requested_at", "-id")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can_see_dashboard(cast(User, request.user)):
            raise Http404

    def rows(self):
        return queries.annual_reports(self.request.user).order_by(*self.order_by)

    @extend_schema(request=AnnualRequestSerializer, responses={201: AnnualReportSerializer})
    def create(self, request, *args, **kwargs):
        body = self.body(AnnualRequestSerializer)
        report = services.annual_report_request(actor=request.user, **body)
        report.refresh_from_db()
        return self.respond(report, status=status.HTTP_201_CREATED)

    @extend_schema(responses=FILE)
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """Rapporten som PDF (404 tills den är klar)."""
        check_api_export(request)
        return file_download(request, pk, "pdf")

    @extend_schema(responses=FILE)
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        """Rapporten som Excel-arbetsbok (404 tills den är klar)."""
        check_api_export(request)
        return file_download(request, pk, "xlsx")

    def _texts(self, report: AnnualReport) -> Response:
        stored = services.texts_of(report)
        rows = [
            {
                "key": key,
                "title": title,
                "text": stored[key].text if key in stored else "",
                "version": stored[key].version if key in stored else 0,
            }
            for key, title in section_titles()
        ]
        return Response(SectionTextSerializer(rows, many=True).data)

    @extend_schema(methods=["GET"], responses=SectionTextSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=TextsSaveSerializer,
        responses=SectionTextSerializer(many=True),
    )
    @action(detail=True, methods=["get", "post"])
    def texts(self, request, pk=None):
        """Avsnittens texter för rapportens år och omfattning. POST sparar de texter
        som ändrats, alla eller ingen (409 om någon annan ändrat en text sedan den
        lästes); bara IFO-chefer skriver dem."""
        if request.method == "GET":
            return self._texts(queries.annual_report_get(request.user, pk))
        report = queries.annual_report_get(request.user, pk, "change")
        body = self.body(TextsSaveSerializer)
        services.annual_report_texts_save(
            actor=request.user,
            report=report,
            texts=body["texts"],
            versions=body.get("versions", {}),
        )
        return self._texts(report)
