"""Family work pages, one module per sub-domain; this package re-exports the views so
urls.py keeps ``views.<name>``."""

from kinsight.family.views.consents import consent_new, consent_withdraw
from kinsight.family.views.meetings import (
    meeting_detail,
    meeting_new,
    minutes_autosave,
    minutes_correct,
    minutes_edit,
    minutes_new,
)
from kinsight.family.views.tasks import task_done, task_new
from kinsight.family.views.work import (
    case_link,
    coordinator_set,
    family_close,
    family_detail,
    family_list,
    family_start,
    member_add,
    member_end,
    participant_add,
    participant_leave,
)

__all__ = [
    "case_link",
    "consent_new",
    "consent_withdraw",
    "coordinator_set",
    "family_close",
    "family_detail",
    "family_list",
    "family_start",
    "meeting_detail",
    "meeting_new",
    "member_add",
    "member_end",
    "minutes_autosave",
    "minutes_correct",
    "minutes_edit",
    "minutes_new",
    "participant_add",
    "participant_leave",
    "task_done",
    "task_new",
]
