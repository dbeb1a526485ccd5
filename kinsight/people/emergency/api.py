"""Break the glass in the API (/api/v1/emergency-access/): open one (a case worker or
unit manager), list and read one's own; the log reviewer lists every one and reviews
it. The sight itself lives in the browser session that opened the access
(kinsight/people/emergency/live.py): an API token never carries it."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kinsight.core.apibase import InputSerializer, ReadOnlySerializer, TenantViewSet
from kinsight.core.models import User
from kinsight.people.emergency import live, services
from kinsight.people.emergency.models import EmergencyAccess, EmergencyReason, ReviewOutcome


class EmergencyAccessSerializer(ReadOnlySerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = EmergencyAccess
        fields = [
            "id",
            "user",
            "person",
            "person_name",
            "reason",
            "reason_text",
            "protected_confirmed",
            "started_at",
            "ends_at",
            "ended_early",
            "review_due_on",
            "outcome",
            "review_comment",
            "reviewed_by",
            "reviewed_at",
        ]


class StartSerializer(InputSerializer):
    identifier = serializers.CharField(max_length=20, help_text="Personens personnummer.")
    reason = serializers.ChoiceField(choices=EmergencyReason.choices)
    reason_text = serializers.CharField(max_length=2000)
    password = serializers.CharField(
        required=False, default="", write_only=True, help_text="Krävs vid skyddad identitet."
    )
    protected_confirmed = serializers.BooleanField(required=False, default=False)


class ReviewSerializer(InputSerializer):
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    review_comment = serializers.CharField(max_length=2000)


class EmergencyAccessViewSet(TenantViewSet):
    model = EmergencyAccess
    serializer_class = EmergencyAccessSerializer
    select_related = ("person",)
    order_by = ("-started_at", "-pk")

    @extend_schema(request=StartSerializer, responses={201: EmergencyAccessSerializer})
    def create(self, request: Request) -> Response:
        data = self.body(StartSerializer)
        actor = cast(User, request.user)
        access = services.emergency_access_start(actor=actor, **data)
        if isinstance(request.successful_authenticator, SessionAuthentication):
            live.remember(request._request, access)
        return self.respond(access, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewSerializer, responses={200: EmergencyAccessSerializer})
    @action(detail=True, methods=["post"], access="change")
    def review(self, request: Request, pk: str | None = None) -> Response:
        return self.act(
            ReviewSerializer, services.emergency_access_review, access=self.get_object()
        )
