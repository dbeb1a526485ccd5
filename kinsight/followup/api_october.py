"""API: the October survey under /api/v1/followup/october/, with the page's rules (unit
managers and heads of services, for the units they may see) and filters (census,
compare, unit_types, unit). Tables as they leave the unit: published (small counts
as "<5"), and the export audited."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from kinsight.accounts.reauth import check_api_export
from kinsight.core.models import User
from kinsight.followup import queries, queries_october
from kinsight.followup.api import valid_query
from kinsight.followup.forms_october import OctoberForm
from kinsight.ui.exports import watermark


class OctoberViewSet(viewsets.ViewSet):
    """Oktoberkartläggningen: vuxna 20+ med öppet ärende på mätdagen och barnfrågan som
    den var besvarad då, per enhet, kön och åldersgrupp, och två mätdatum jämförda."""

    @extend_schema(
        parameters=[
            OpenApiParameter("census", OpenApiTypes.DATE, description="Mätdatum, ÅÅÅÅ-MM-DD."),
            OpenApiParameter("compare", OpenApiTypes.DATE, description="Jämför med, ÅÅÅÅ-MM-DD."),
            OpenApiParameter(
                "unit_types", OpenApiTypes.STR, description="Enhetstyper, kommaseparerade."
            ),
            OpenApiParameter("unit", OpenApiTypes.INT, description="Enhetens id."),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request: Request) -> Response:
        user = request.user
        if not isinstance(user, User) or not queries.can_see_dashboard(user):
            raise Http404
        check_api_export(request)
        form = OctoberForm(request.query_params, user=request.user)
        data = valid_query(form)
        survey = form.survey(user)
        tables = survey.all_tables()
        queries_october.survey_export(
            actor=user, filters=form.query(), tables=[table.key for table in tables]
        )
        return Response(
            {
                **watermark(user).as_json(),
                "census": data["census"].isoformat(),
                "compare": data["compare"].isoformat(),
                "unit_types": data["unit_types"],
                "tables": [table.published().as_dict() for table in survey.tables],
                "comparison": survey.comparison.published().as_dict(),
            }
        )
