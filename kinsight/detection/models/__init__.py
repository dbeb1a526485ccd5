"""Early detection (PRODUCT.md §2): the child question, children as next of kin and
concern reports.

- ChildQuestion (barnfrågan): one per case of an adult; the current answer, with every
  answer kept in ChildQuestionAnswer. It is pending until answered, again from
  ``next_ask_on`` (answered + settings.KINSIGHT_CHILD_QUESTION_MONTHS, or the day a
  case is reopened), and while "unknown" once the case has moved on (next event).
- ChildRecord (barn som anhörig): a child of a parent on one case, found through the
  child question; the child as a Person when known, else first name and birth year,
  or an expected child (``expected_month``) until it is born. One per case and child: a
  parent's new case records the child afresh, the earlier case keeps its record.
  Its lifecycle (ChildStatus) moves by ChildRecordStep rows;
  ChildFlag rows mark young carers, child interpreters, violence and the parent's
  problem areas, each with dates.
- ConcernReport (orosanmälan): internal (from a child record in an adult unit) or
  external; received by a children-and-youth unit; its clocks come from DeadlineRule
  (data with legal topics) and the due dates are stored on the report.
Every row carries its municipality; rows that are edited carry a version.
"""

from kinsight.detection.models.child_question import Answer, ChildQuestion, ChildQuestionAnswer
from kinsight.detection.models.child_records import (
    ATTENDED_STATUSES,
    CHILD_TRANSITIONS,
    SUPPORT_STEPS,
    ChildInformation,
    ChildRecord,
    ChildRecordStep,
    ChildStatus,
    Custody,
    LivesWith,
    expected_q,
)
from kinsight.detection.models.concern_reports import (
    EXTERNAL_CATEGORIES,
    ConcernReport,
    DeadlineRule,
    InvestigationOutcome,
    PreAssessmentDecision,
    ReporterCategory,
    ReportSource,
    ReportStatus,
    add_months,
)
from kinsight.detection.models.flags import PARENT_PROBLEM_FLAGS, ChildFlag, FlagKind

__all__ = [
    "ATTENDED_STATUSES",
    "CHILD_TRANSITIONS",
    "SUPPORT_STEPS",
    "EXTERNAL_CATEGORIES",
    "PARENT_PROBLEM_FLAGS",
    "Answer",
    "ChildFlag",
    "ChildInformation",
    "ChildQuestion",
    "ChildQuestionAnswer",
    "ChildRecord",
    "ChildRecordStep",
    "ChildStatus",
    "ConcernReport",
    "Custody",
    "DeadlineRule",
    "FlagKind",
    "InvestigationOutcome",
    "LivesWith",
    "PreAssessmentDecision",
    "ReportSource",
    "ReportStatus",
    "ReporterCategory",
    "add_months",
    "expected_q",
]
