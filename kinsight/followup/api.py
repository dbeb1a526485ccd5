"""API: the minimum-level figures under /api/v1/minimum-level/, with the page's
rules (who may see which units) and filters (unit, unit_type, from, to)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from kinsight.followup import queries
from kinsight.followup.forms import MinimumLevelFilterForm

FIGURES: dict[str, serializers.Field] = {
    "children": serializers.IntegerField(),
    "attended": serializers.IntegerField(),
    "not_attended": serializers.IntegerField(),
    "share": serializers.FloatField(allow_null=True, help_text="Andel uppmärksammade, %."),
    "unknown_parents": serializers.IntegerField(),
    "unanswered_parents": serializers.IntegerField(),
    "expected": serializers.IntegerField(help_text="Väntade barn (räknas inte i andelen)."),
    "expected_attended": serializers.IntegerField(),
}


def _figures(f):
    return {
        "children": f.children,
        "attended": f.attended,
        "not_attended": f.not_attended,
        "share": f.share,
        "unknown_parents": f.unknown_parents,
        "unanswered_parents": f.unanswered_parents,
        "expected": f.expected,
        "expected_attended": f.expected_attended,
    }


def valid_query(form, names=None):
    """The cleaned data of a page's filter form read from the API's query parameters
    (the minimum level's, the figures', the October survey's); refused, a 400 with each
    error under the parameter's name (``names``: form field -> parameter, where the API
    says it otherwise)."""
    if not form.is_valid():
        names = names or {}
        raise serializers.ValidationError(
            {names.get(k, k): [str(e) for e in v] for k, v in form.errors.items()}
        )
    return form.cleaned_data


class MinimumLevelViewSet(viewsets.ViewSet):
    """Miniminivån: andelen barn till föräldrar med öppet ärende som uppmärksammats,
    per månad, enhet och enhetstyp, för de enheter du är chef för."""

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, description="Enhetens id."),
            OpenApiParameter("unit_type", OpenApiTypes.STR, description="Enhetstyp."),
            OpenApiParameter("from", OpenApiTypes.STR, description="Från månad, ÅÅÅÅ-MM."),
            OpenApiParameter("to", OpenApiTypes.STR, description="Till månad, ÅÅÅÅ-MM."),
        ],
        responses=inline_serializer(
            "MinimumLevel",
            {
                "from": serializers.CharField(),
                "to": serializers.CharField(),
                "months": inline_serializer(
                    "MinimumLevelMonth",
                    {
                        "month": serializers.CharField(),
                        "live": serializers.BooleanField(),
                        **FIGURES,
                    },
                    many=True,
                ),
                "total": inline_serializer("MinimumLevelFigures", FIGURES),
                "units": inline_serializer(
                    "MinimumLevelUnit",
                    {
                        "unit": serializers.IntegerField(),
                        "name": serializers.CharField(),
                        "unit_type": serializers.CharField(),
                        **FIGURES,
                    },
                    many=True,
                ),
                "unit_types": inline_serializer(
                    "MinimumLevelUnitType",
                    {"unit_type": serializers.CharField(), "label": serializers.CharField()}
                    | FIGURES,
                    many=True,
                ),
            },
        ),
    )
    def list(self, request):
        if not queries.can_see_dashboard(request.user):
            raise Http404
        form = MinimumLevelFilterForm(request.query_params, user=request.user)
        data = valid_query(form, form.PARAMETERS)
        dashboard = form.dashboard(request.user)
        types = {str(label): value for value, label in _unit_type_choices()}
        return Response(
            {
                "from": f"{data['start']:%Y-%m}",
                "to": f"{data['end']:%Y-%m}",
                "months": [
                    {"month": f"{m:%Y-%m}", "live": m in dashboard.live_months} | _figures(f)
                    for m, f in dashboard.months
                ],
                "total": _figures(dashboard.total),
                "units": [
                    {"unit": u.pk, "name": u.name, "unit_type": u.unit_type} | _figures(f)
                    for u, f in dashboard.by_unit
                ],
                "unit_types": [
                    {"unit_type": types.get(str(label), ""), "label": str(label)} | _figures(f)
                    for label, f in dashboard.by_unit_type
                ],
            }
        )


def _unit_type_choices():
    from kinsight.core.models import UnitType

    return UnitType.choices
