"""Writes for early detection: the child question, children as next of kin (steps and
flags) and concern reports. Each function takes the acting user, checks that they may
act, validates (Swedish messages on the field), writes and audits in one transaction;
nothing is half-saved. One module per sub-domain; callers import this package."""

from kinsight.detection.queries import can_send_report, receiving_units, suggested_concern
from kinsight.detection.rules import is_adult
from kinsight.detection.services.child_question import child_question_answer, question_months
from kinsight.detection.services.child_records import (
    DuplicateChild,
    child_record_add,
    child_record_update,
)
from kinsight.detection.services.child_steps import child_record_step, child_record_support_step
from kinsight.detection.services.concern_reports import (
    concern_report_complete_investigation,
    concern_report_feedback,
    concern_report_pre_assessment,
    concern_report_register,
    concern_report_send,
)
from kinsight.detection.services.expected_children import (
    EXPECTED_MONTHS_AHEAD,
    child_record_add_expected,
    child_record_born,
)
from kinsight.detection.services.flags import child_flag_add, child_flag_end
from kinsight.detection.services.renewal import child_record_renew

__all__ = [
    "EXPECTED_MONTHS_AHEAD",
    "DuplicateChild",
    "can_send_report",
    "child_flag_add",
    "child_flag_end",
    "child_question_answer",
    "child_record_add",
    "child_record_add_expected",
    "child_record_born",
    "child_record_renew",
    "child_record_step",
    "child_record_support_step",
    "child_record_update",
    "concern_report_complete_investigation",
    "concern_report_feedback",
    "concern_report_pre_assessment",
    "concern_report_register",
    "concern_report_send",
    "is_adult",
    "question_months",
    "receiving_units",
    "suggested_concern",
]
