"""Log review in the API, for log reviewers only (everyone else 404):
``/api/v1/log-reviews/`` lists and reads the reviews and makes one (of a pattern hit or
of a monthly sample), ``/api/v1/log-pattern-hits/?start=&end=`` lists the patterns'
hits of a window (read only). Both audited as the pages are."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from kinsight.audit import patterns, review
from kinsight.audit.models import LogReview, LogSample, ReviewOutcome
from kinsight.audit.queries import require_log_reviewer
from kinsight.core.apibase import InputSerializer, ReadOnlySerializer, TenantViewSet
from kinsight.core.models import User


class LogReviewSerializer(ReadOnlySerializer):
    class Meta:
        model = LogReview
        fields = [
            "id",
            "pattern",
            "sample",
            "actor",
            "person_id",
            "window_start",
            "window_end",
            "entry_ids",
            "outcome",
            "comment",
            "reviewer",
            "reviewed_at",
        ]


class NewLogReviewSerializer(InputSerializer):
    """A hit (pattern, actor, person, bucket, as the hits list gives them) or a sample."""

    pattern = serializers.CharField(required=False, default="")
    actor = serializers.IntegerField(required=False, default=0)
    person = serializers.IntegerField(required=False, default=0)
    bucket = serializers.CharField(required=False, default="", max_length=20)
    sample = serializers.IntegerField(required=False, default=None, allow_null=True)
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=4000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs["sample"]) == bool(attrs["pattern"]):
            raise serializers.ValidationError(
                "Ange antingen en träff (pattern, actor, person, bucket) eller ett stickprov."
            )
        return attrs


def _reviewer(request: Request) -> User:
    """The log reviewer asking; 404 for everyone else."""
    user = cast(User, request.user)
    require_log_reviewer(user)
    return user


class LogReviewerOnly:
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        _reviewer(request)


class LogReviewViewSet(LogReviewerOnly, mixins.CreateModelMixin, TenantViewSet):
    model = LogReview
    serializer_class = LogReviewSerializer
    order_by = ("-reviewed_at", "-pk")

    @extend_schema(request=NewLogReviewSerializer, responses={201: LogReviewSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.body(NewLogReviewSerializer)
        user = _reviewer(request)
        verdict = {"outcome": data["outcome"], "comment": data["comment"]}
        if data["sample"]:
            sample = LogSample.objects.visible_to(user, "view").filter(pk=data["sample"]).first()
            if sample is None:
                raise Http404
            made = review.review_sample_create(actor=user, sample=sample, **verdict)
        else:
            made = review.review_hit_create(
                actor=user,
                pattern=data["pattern"],
                actor_id=data["actor"],
                person_id=data["person"],
                bucket=data["bucket"],
                **verdict,
            )
        return self.respond(made, status=status.HTTP_201_CREATED)


class PatternHitSerializer(serializers.Serializer):
    pattern = serializers.CharField(source="pattern.key")
    actor = serializers.IntegerField(source="actor_id")
    person = serializers.IntegerField(source="person_id", allow_null=True)
    bucket = serializers.CharField()
    reads = serializers.IntegerField()
    persons = serializers.IntegerField()
    first_at = serializers.DateTimeField()
    last_at = serializers.DateTimeField()
    reviewed = serializers.BooleanField()


class PeriodSerializer(InputSerializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first, last = patterns.default_period()
        start, end = attrs.get("start", first), attrs.get("end", last)
        if end < start:
            raise serializers.ValidationError({"end": "Slutdatum kan inte vara före startdatum."})
        if (end - start).days >= patterns.MAX_DAYS:
            raise serializers.ValidationError(
                {"end": f"Välj högst {patterns.MAX_DAYS} dagar åt gången."}
            )
        return {"start": start, "end": end}


class PatternHitViewSet(LogReviewerOnly, viewsets.ViewSet):
    """The patterns' hits of a window (the last seven days by default), read only."""

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
        ],
        responses={200: PatternHitSerializer(many=True)},
    )
    def list(self, request: Request) -> Response:
        period = PeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        start: datetime.date = period.validated_data["start"]
        end: datetime.date = period.validated_data["end"]
        found = review.pattern_hits(actor=_reviewer(request), first=start, last=end)
        hits = [hit for _pattern, group in found.groups for hit in group]
        return Response(PatternHitSerializer(hits, many=True).data)


ROUTES = [
    ("log-reviews", LogReviewViewSet, "logreview"),
    ("log-pattern-hits", PatternHitViewSet, "logpatternhit"),
]
