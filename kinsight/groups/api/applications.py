"""The open group list's applications and the groups' settings through the API.
Applications are seen by the cycle's leaders only (anyone else: 404), each read
audited, accepted or declined through the same services as on the cycle's page. The
settings (no personal data) are read and changed by those who keep the groups."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinsight.core.apibase import ReadOnlySerializer, TenantViewSet
from kinsight.groups.access import leads_groups
from kinsight.groups.api.cycles import GroupParticipantSerializer
from kinsight.groups.models import GroupApplication, GroupSettings
from kinsight.groups.queries_settings import group_settings
from kinsight.groups.services.applications import application_accept, application_decline
from kinsight.groups.services.settings import settings_set


class GroupApplicationSerializer(ReadOnlySerializer):
    class Meta:
        model = GroupApplication
        fields = [
            "id",
            "cycle",
            "name",
            "contact",
            "age_band",
            "sex",
            "message",
            "status",
            "participant",
            "created_at",
            "handled_at",
        ]


class GroupApplicationViewSet(TenantViewSet):
    """Intresseanmälningar från den öppna grupplistan: bara gruppomgångens ledare ser
    dem. POST …/accept/ sätter den sökande på väntelistan som anonym deltagare (egen
    ansökan), POST …/decline/ avböjer."""

    model = GroupApplication
    serializer_class = GroupApplicationSerializer
    select_related = ("cycle",)
    order_by = ("cycle", "created_at", "pk")
    filterset_fields = ["cycle", "status"]

    @extend_schema(request=None, responses={201: GroupParticipantSerializer})
    @action(detail=True, methods=["post"], access="change")
    def accept(self, request, pk=None):
        """Anta: en anonym deltagare på väntelistan (400 om omgången är full eller
        anmälan redan hanterad)."""
        participant = application_accept(actor=request.user, application=self.get_object())
        return self.respond(
            participant, status=status.HTTP_201_CREATED, serializer_class=GroupParticipantSerializer
        )

    @extend_schema(request=None, responses=GroupApplicationSerializer)
    @action(detail=True, methods=["post"], access="change")
    def decline(self, request, pk=None):
        """Avböj (400 om anmälan redan är hanterad)."""
        return self.respond(application_decline(actor=request.user, application=self.get_object()))


class GroupSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = GroupSettings
        fields = ["public_list", "own_consent_age"]


class GroupSettingsViewSet(viewsets.ViewSet):
    """Kommunens inställningar för stödgrupper (systemförvaltare och IFO-chefer):
    GET läser, POST sparar båda värdena."""

    def _settings(self, request):
        if not leads_groups(request.user):
            raise Http404
        return group_settings(request.user.municipality_id)

    @extend_schema(responses=GroupSettingsSerializer)
    def list(self, request):
        return Response(GroupSettingsSerializer(self._settings(request)).data)

    @extend_schema(request=GroupSettingsSerializer, responses=GroupSettingsSerializer)
    def create(self, request):
        self._settings(request)
        body = GroupSettingsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        saved = settings_set(actor=request.user, **body.validated_data)
        return Response(GroupSettingsSerializer(saved).data)
