"""Writes to family work: each takes the acting user (keyword-only ``actor``), checks
that they may act, validates, writes and audits in one transaction. One module per
sub-domain; this package re-exports their services so callers keep
``from kinsight.family import services``."""

from kinsight.family.services.consents import CONSENT_FIELDS, consent_record, consent_withdraw
from kinsight.family.services.meetings import (
    MEETING_FIELDS,
    MINUTES_TEXTS,
    meeting_create,
    meeting_update,
    minutes_create,
    minutes_discard,
    minutes_save,
    minutes_sign,
)
from kinsight.family.services.participants import (
    LINK_FIELDS,
    PARTICIPANT_FIELDS,
    case_link,
    case_unlink,
    coordinator_set,
    participant_add,
    participant_leave,
)
from kinsight.family.services.tasks import TASK_FIELDS, task_complete, task_create
from kinsight.family.services.work import (
    MEMBER_FIELDS,
    WORK_FIELDS,
    family_work_close,
    family_work_start,
    family_work_update,
    member_add,
    member_end,
)

__all__ = [
    "CONSENT_FIELDS",
    "LINK_FIELDS",
    "MEETING_FIELDS",
    "MEMBER_FIELDS",
    "MINUTES_TEXTS",
    "PARTICIPANT_FIELDS",
    "TASK_FIELDS",
    "WORK_FIELDS",
    "case_link",
    "case_unlink",
    "consent_record",
    "consent_withdraw",
    "coordinator_set",
    "family_work_close",
    "family_work_start",
    "family_work_update",
    "meeting_create",
    "meeting_update",
    "member_add",
    "member_end",
    "minutes_create",
    "minutes_discard",
    "minutes_save",
    "minutes_sign",
    "participant_add",
    "participant_leave",
    "task_complete",
    "task_create",
]
