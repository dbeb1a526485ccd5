"""The leaders' notes on a cycle through the API, as the other signed notes (journal
notes, minutes): a draft (only the author's own), saved, signed, corrected by a new
note. The cycle's leaders only; anyone else gets 404."""

from kinsight.core.apibase import (
    NOTE_FIELDS,
    NOTE_READ_ONLY,
    SignedNoteViewSet,
    VersionedSerializer,
)
from kinsight.groups import services
from kinsight.groups.models import CycleNote


def _led(visible, user):
    return visible.filter(leaders=user.pk)


class CycleNoteSerializer(VersionedSerializer):
    related_access = {"cycle": _led}

    class Meta:
        model = CycleNote
        fields = ["id", "cycle", *NOTE_FIELDS]
        read_only_fields = NOTE_READ_ONLY


class CycleNoteViewSet(SignedNoteViewSet):
    """Gruppledarnas anteckningar om gruppomgången: utkast (bara ditt eget), signering,
    rättelser som nya anteckningar. Bara gruppomgångens ledare."""

    serializer_class = CycleNoteSerializer
    creates = services.cycle_note_create
    updates = services.cycle_note_save
    signs = services.cycle_note_sign
    model = CycleNote
    select_related = ("author", "signed_by")
    filterset_fields = ["cycle"]
    http_method_names = ["get", "post", "patch", "head", "options"]
