"""Individual talks through the API: the day a leader held a talk with a participant
(never its content), listed and registered by the cycle's leaders only; anyone else
gets 404. Reads are audited, the write goes through services.individual_talk_add."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status

from kinsight.core.apibase import InputSerializer, ReadOnlySerializer, TenantViewSet
from kinsight.groups import services
from kinsight.groups.models import GroupParticipant, IndividualTalk


class TalkSerializer(ReadOnlySerializer):
    class Meta:
        model = IndividualTalk
        fields = ["id", "participant", "held_on", "by"]


class TalkInputSerializer(InputSerializer):
    participant = serializers.PrimaryKeyRelatedField(queryset=GroupParticipant.objects.none())
    on = serializers.DateField(
        default=timezone.localdate, help_text="Dagen för samtalet (i dag om det utelämnas)."
    )
    related_access = {"participant": "change"}


class IndividualTalkViewSet(TenantViewSet):
    """Enskilda samtal med en deltagare utöver gruppträffarna (programmet anger hur
    många): bara dagen, aldrig innehållet. Gruppomgångens ledare."""

    model = IndividualTalk
    serializer_class = TalkSerializer
    select_related = ("participant",)
    order_by = ("participant", "held_on", "pk")
    filterset_fields = ["participant", "participant__cycle"]

    @extend_schema(request=TalkInputSerializer, responses={201: TalkSerializer})
    def create(self, request, *args, **kwargs):
        """Registrera ett samtal (deltagaren är eller har varit med i gruppen)."""
        body = self.body(TalkInputSerializer)
        talk = services.individual_talk_add(actor=request.user, **body)
        return self.respond(talk, status=status.HTTP_201_CREATED)
