"""Coordinated family-oriented work (PRODUCT.md §3, issue 6): the frame that later
assessments by perspective, family plans, referrals and placements hang in.

- FamilyWork (familjeärende): one coordinated piece of work around a family.
- FamilyMember: a person of the family with a role in it (parent 1, parent 2, child,
  other). The roles decide which assessment perspectives exist: see
  ``FamilyWork.perspectives()``.
- Participant: a unit taking part (with its contact worker); exactly one current
  participant is the coordinator. LinkedCase: a case of a participating unit joined to
  the family work.
- Consent (samtycke): per person (for a child given by a guardian, with the child's own
  view from settings.KINSIGHT_CHILD_VIEW_AGE), per purpose, for named participating
  units (ConsentUnit) or all participating units, with validity and withdrawal. Consent
  for ConsentPurpose.SHARING decides what a participating unit sees beyond the fact
  that the work exists and who coordinates it (kinsight/family/access.py).
- FamilyMeeting (familjemöte) with MeetingParticipant rows (family members, staff of
  units, external people as text), an agenda and minutes as MeetingNote rows (draft →
  signed; a signed note never changes, a correction is a new note).
- FollowUpTask: a decision or follow-up with a due date and a responsible unit (and
  worker); becomes an item in the work queues.

Every row carries its municipality; rows that are edited carry a version.
"""

from kinsight.family.models.consents import (
    ChildView,
    Consent,
    ConsentForm,
    ConsentPurpose,
    ConsentUnit,
)
from kinsight.family.models.meetings import (
    FamilyMeeting,
    MeetingNote,
    MeetingParticipant,
    MeetingParticipantKind,
)
from kinsight.family.models.tasks import FollowUpTask
from kinsight.family.models.work import (
    PARENT_ROLES,
    FamilyMember,
    FamilyRole,
    FamilyWork,
    FamilyWorkStatus,
    LinkedCase,
    Participant,
    Perspective,
    PerspectiveKind,
)

__all__ = [
    "PARENT_ROLES",
    "ChildView",
    "Consent",
    "ConsentForm",
    "ConsentPurpose",
    "ConsentUnit",
    "FamilyMeeting",
    "FamilyMember",
    "FamilyRole",
    "FamilyWork",
    "FamilyWorkStatus",
    "FollowUpTask",
    "LinkedCase",
    "MeetingNote",
    "MeetingParticipant",
    "MeetingParticipantKind",
    "Participant",
    "Perspective",
    "PerspectiveKind",
]
