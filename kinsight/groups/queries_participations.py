"""A person's group participations as the pages of the apps below show them: on a
child's record (barn som anhörig) the participations linked to the record, for whoever
may view the record; on a case the participations of the case's person, for whoever
may view the case. Programme, cycle, status and dates only: never attendance,
measurements or other participants. The caller has read the record or the case through
``visible_to``; each list is audited as one read."""

from django.db.models import QuerySet

from kinsight.audit.services import audit_read_many
from kinsight.core.models import User
from kinsight.groups.models import GroupParticipant

PARTICIPANT_TYPE = "groups.groupparticipant"


def _listed(actor: User, rows: QuerySet[GroupParticipant]) -> list[GroupParticipant]:
    found = list(rows.select_related("cycle__programme").order_by("-cycle__start_on", "-pk"))
    audit_read_many(actor=actor, objects=found, object_type=PARTICIPANT_TYPE)
    return found


def participations_of_record(*, actor: User, record_id: int) -> list[GroupParticipant]:
    return _listed(actor, GroupParticipant.objects.filter(child_record_id=record_id))


def participations_of_person(
    *, actor: User, person_id: int, municipality_id: int
) -> list[GroupParticipant]:
    return _listed(
        actor,
        GroupParticipant.objects.filter(municipality_id=municipality_id, person_id=person_id),
    )
