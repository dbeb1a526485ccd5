"""The effect report and the reach through the API, as aggregates (queries.effect_report,
queries.reach decide who may read them: those who keep the groups everything, a leader
their own cycle). A cycle the user does not see answers 404. Counts and scores without
names: not logged as reads, as the minimum-level figures are not."""

import dataclasses

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from kinsight.access.rules import get_for
from kinsight.assessment.models import Instrument
from kinsight.core.apibase import InputSerializer
from kinsight.groups import queries
from kinsight.groups.effect import DETERIORATED, IMPROVED, UNCHANGED
from kinsight.groups.models import Cycle, Point

FIRST_YEAR, LAST_YEAR = 2000, 2100


class EffectQuery(InputSerializer):
    instrument = serializers.PrimaryKeyRelatedField(
        queryset=Instrument.objects.none(), help_text="Instrumentets id (t.ex. WHO-5)."
    )
    point = serializers.ChoiceField(
        choices=[(Point.AFTER, Point.AFTER.label), (Point.FOLLOW_UP, Point.FOLLOW_UP.label)],
        default=Point.AFTER,
        help_text="Jämför före med efter (standard) eller med uppföljningen.",
    )
    cycle = serializers.IntegerField(required=False, help_text="En gruppomgång.")
    programme = serializers.IntegerField(required=False, help_text="Ett program.")
    provider = serializers.IntegerField(required=False, help_text="En utförare.")
    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="Gruppomgångar som startade då.",
    )
    subscale = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="En delskala: summan av dess frågor i stället för hela instrumentets.",
    )


class ReachQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, help_text="Året.")


def _interval(name):
    fields = {key: serializers.FloatField() for key in ("estimate", "low", "high")}
    return inline_serializer(name, fields)


EFFECT = inline_serializer(
    "GroupEffect",
    {
        "instrument": serializers.IntegerField(),
        "point": serializers.CharField(),
        "subscale": serializers.CharField(help_text="Tom: hela instrumentet."),
        "measured_before": serializers.IntegerField(help_text="Deltagare mätta före."),
        "pairs": serializers.IntegerField(help_text="... som också mättes vid tidpunkten."),
        "anonymous_pairs": serializers.IntegerField(),
        "attrition": serializers.IntegerField(help_text="Mätta före men inte efter."),
        "effect": inline_serializer(
            "GroupPairedEffect",
            {
                "n": serializers.IntegerField(),
                "mean_before": serializers.FloatField(),
                "mean_after": serializers.FloatField(),
                "change": _interval("GroupChangeInterval"),
                "sd_change": serializers.FloatField(),
                "t": serializers.FloatField(),
                "p": serializers.FloatField(),
                "d_z": _interval("GroupDzInterval"),
                "g": _interval("GroupHedgesGInterval"),
            },
            allow_null=True,
        ),
        "reliable": inline_serializer(
            "GroupReliableChange",
            {
                "s_diff": serializers.FloatField(),
                "threshold": serializers.FloatField(),
                IMPROVED: serializers.IntegerField(),
                UNCHANGED: serializers.IntegerField(),
                DETERIORATED: serializers.IntegerField(),
                "recovered": serializers.IntegerField(allow_null=True),
            },
            allow_null=True,
        ),
        "norms_source": serializers.CharField(),
        "notes": serializers.ListField(child=serializers.CharField()),
        "before": serializers.ListField(child=serializers.FloatField()),
        "after": serializers.ListField(child=serializers.FloatField()),
    },
)
REACH = inline_serializer(
    "GroupReach",
    {
        "provider": serializers.CharField(),
        "district": serializers.CharField(),
        "target_group": serializers.CharField(),
        "total": serializers.IntegerField(),
        "anonymous": serializers.IntegerField(),
    },
    many=True,
)


def _query(serializer_class, request):
    query = serializer_class(data=request.query_params, context={"request": request})
    query.is_valid(raise_exception=True)
    return query.validated_data


def _reliable(reliable):
    if reliable is None:
        return None
    counts = {name: reliable.count(name) for name in (IMPROVED, UNCHANGED, DETERIORATED)}
    return {
        "s_diff": reliable.s_diff,
        "threshold": reliable.threshold,
        **counts,
        "recovered": reliable.recovered_count,
    }


class EffectViewSet(viewsets.ViewSet):
    """Effekten av stödgrupper på ett instrument: förändringen från före till efter (eller
    uppföljning) med 95 % konfidensintervall, Cohens d_z och Hedges g, och reliabel
    förändring; för hela instrumentet eller en delskala. Per gruppomgång (dess ledare),
    program, utförare och år (IFO-chef, systemförvaltare). Under minsta antal visas
    bara antal. En gruppomgång du inte ser svarar 404."""

    @extend_schema(parameters=[EffectQuery], responses=EFFECT)
    def list(self, request):
        query = _query(EffectQuery, request)
        scope = {
            "programme_id": query.get("programme"),
            "provider_id": query.get("provider"),
            "year": query.get("year"),
        }
        if "cycle" in query:
            scope = {"cycle": get_for(request.user, Cycle.objects, query["cycle"])}
        report = queries.effect_report(
            actor=request.user,
            instrument=query["instrument"],
            point=query["point"],
            subscale=query.get("subscale", ""),
            **scope,
        )
        effect = dataclasses.asdict(report.effect) if report.effect else None
        return Response(
            {
                "instrument": report.instrument.pk,
                "point": report.point,
                "subscale": report.subscale,
                "measured_before": report.measured_before,
                "pairs": report.pairs,
                "anonymous_pairs": report.anonymous_pairs,
                "attrition": report.attrition,
                "effect": effect,
                "reliable": _reliable(report.reliable),
                "norms_source": report.norms_source,
                "notes": report.notes,
                "before": report.before,
                "after": report.after,
            }
        )


class ReachViewSet(viewsets.ViewSet):
    """Hur många som nåtts av stödgrupper ett år, per utförare, stadsdel och målgrupp;
    anonyma deltagare räknas med (IFO-chef, systemförvaltare)."""

    @extend_schema(parameters=[ReachQuery], responses=REACH)
    def list(self, request):
        year = _query(ReachQuery, request)["year"]
        return Response(
            [
                {
                    "provider": row["cycle__programme__provider__name"],
                    "district": row["cycle__district__name"],
                    "target_group": row["cycle__programme__target_group"],
                    "total": row["total"],
                    "anonymous": row["anonymous"],
                }
                for row in queries.reach(actor=request.user, year=year)
            ]
        )
