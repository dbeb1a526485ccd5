"""API: the figures (nyckeltal) under /api/v1/followup/figures/: the registry (keys,
titles, definitions, breakdowns) and a definition's tables for a period, step,
breakdown and scope, with the page's rules (unit managers and heads of services, for
the units they may see). Tables as they leave the unit: published (small counts as
"<5", with complementary suppression), and the export audited."""

from typing import cast

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from kinsight.accounts.reauth import check_api_export
from kinsight.core.models import User
from kinsight.followup import queries, queries_figures
from kinsight.followup.api import valid_query
from kinsight.followup.figures import BREAKDOWNS, REGISTRY, Definition
from kinsight.followup.forms_figures import FiguresForm
from kinsight.ui.exports import watermark


class FigureDefinitionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField(help_text="Vad som räknas.")
    legal = serializers.CharField(help_text="Lagrumskoder eller lagrum, om några.")
    breakdowns = serializers.ListField(child=serializers.CharField())


class FigureColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.CharField(help_text="count, share (0–1), days eller number.")


class FigureTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()
    suppression_threshold = serializers.IntegerField(allow_null=True)
    columns = FigureColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text="En rad per period, enhet eller grupp: key, label och kolumnernas värden "
        '(antal under gränsen som "<5").',
    )
    total = serializers.DictField(allow_null=True)


# "from" is a Python keyword: the answer's serializer is made with type().
FiguresSerializer = type(
    "FiguresSerializer",
    (serializers.Serializer,),
    {
        "definition": FigureDefinitionSerializer(),
        "from": serializers.CharField(help_text="Från månad, ÅÅÅÅ-MM."),
        "to": serializers.CharField(help_text="Till månad, ÅÅÅÅ-MM."),
        "step": serializers.CharField(),
        "by": serializers.CharField(),
        "tables": FigureTableSerializer(many=True),
    },
)


PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.STR, description="Från månad, ÅÅÅÅ-MM."),
    OpenApiParameter("to", OpenApiTypes.STR, description="Till månad, ÅÅÅÅ-MM."),
    OpenApiParameter("step", OpenApiTypes.STR, enum=["month", "quarter", "year"]),
    OpenApiParameter("by", OpenApiTypes.STR, enum=list(BREAKDOWNS), description="Uppdelning."),
    OpenApiParameter("unit", OpenApiTypes.INT, description="Enhetens id."),
    OpenApiParameter("unit_type", OpenApiTypes.STR, description="Enhetstyp."),
]


def _definition(definition: Definition) -> dict[str, object]:
    return {
        "key": definition.key,
        "title": definition.title,
        "text": definition.text,
        "legal": definition.legal,
        "breakdowns": list(definition.breakdowns),
    }


class FiguresViewSet(viewsets.ViewSet):
    """Nyckeltal: varje nyckeltal per månad, kvartal eller år, enhet och enhetstyp (och
    kön, åldersgrupp och problemområde där det går), för de enheter du är chef för."""

    lookup_field = "key"
    lookup_value_regex = "[a-z0-9_]+"

    def _allowed(self, request: Request) -> User:
        user = cast(User, request.user)
        if not queries.can_see_dashboard(user):
            raise Http404
        return user

    @extend_schema(responses=FigureDefinitionSerializer(many=True))
    def list(self, request: Request) -> Response:
        self._allowed(request)
        return Response([_definition(d) for d in REGISTRY.values()])

    @extend_schema(parameters=PARAMETERS, responses=FiguresSerializer)
    def retrieve(self, request: Request, key: str = "") -> Response:
        user = self._allowed(request)
        check_api_export(request)
        if key not in REGISTRY:
            raise Http404
        params = request.query_params.copy()
        params["definition"] = key
        form = FiguresForm(params, user=user)
        data = valid_query(form, form.PARAMETERS)
        definition = form.chosen
        tables = form.tables(user)
        queries_figures.figures_export(
            actor=user,
            definition=definition,
            filters=form.figures_query(),
            tables=[table.key for table in tables],
        )
        return Response(
            {
                **watermark(user).as_json(),
                "definition": _definition(definition),
                "from": f"{data['start']:%Y-%m}",
                "to": f"{data['end']:%Y-%m}",
                "step": data["step"],
                "by": data["by"],
                "tables": [table.published().as_dict() for table in tables],
            }
        )
