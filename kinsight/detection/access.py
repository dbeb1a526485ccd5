"""Who may see and change the child question, children as next of kin and concern
reports (read with docs/permissions.md).

- Child question: seen with its case (Case.visible_to "view"), answered by those who
  may change the case (the responsible worker, the unit manager).
- Child record (barn som anhörig): a record belongs to one case of the parent. Seen by
  those who see that case (the parent's case worker and unit manager: what the child
  question needs; another unit's case of the same parent shows nothing of it), by the
  receiving unit of a concern report about the child, and by those who see a case of
  the child (the children-and-youth unit once it has one). Changed by those who may
  change the case while it is open (a closed case's records are history, read only)
  and by the workers of a unit that received a report.
- Steps and flags follow their child record.
- Concern report: in full to the receiving unit (case workers and managers); as a
  status view (status and dates, never the content) to the reporting unit and the
  member of staff who sent it. Changed by the receiving unit.
- Everything else, and every other municipality: nothing (404).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Self

from django.apps import apps
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from kinsight.access.querysets import TenantQuerySet
from kinsight.core.models import Role, User

if TYPE_CHECKING:
    from kinsight.cases.models import CaseQuerySet

WORK_ROLES = (Role.CASE_WORKER, Role.UNIT_MANAGER)


def _model(name: str) -> type[Any]:
    app, model = name.split(".")
    return apps.get_model(app, model)


def _cases(user: User, action: str) -> CaseQuerySet:
    return _model("cases.Case").objects.visible_to(user, action)


class ChildQuestionQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        return self.filter(case_id__in=_cases(user, "view").values("pk"))

    def _allow_change(self, user: User) -> Self:
        return self.filter(case_id__in=_cases(user, "change").values("pk"))

    def pending(self, on: datetime.date | None = None) -> Self:
        """Questions to ask (again): never answered, due again (``next_ask_on``), or
        answered "unknown" and the case has moved on since (the next case event)."""
        on = on or timezone.localdate()
        return self.filter(pending_q(on))


def pending_q(on: datetime.date, prefix: str = "") -> Q:
    """The pending rule as a Q, for a ChildQuestion reached through ``prefix``
    (e.g. "child_question__" from Case). A Case without a question is pending too:
    add ``Q(child_question__isnull=True)`` there."""
    from kinsight.detection.models import Answer

    p = prefix
    return (
        Q(**{f"{p}answered_at__isnull": True})
        | Q(**{f"{p}next_ask_on__lte": on})
        | Q(
            **{
                f"{p}has_children": Answer.UNKNOWN,
                f"{p}case__status_changed_at__gt": F(f"{p}answered_at"),
            }
        )
        | Q(**{f"{p}case__reopened_at__gt": F(f"{p}answered_at")})
    )


class ChildRecordQuerySet(TenantQuerySet):
    def _report_records(self, user: User) -> Q:
        units = user.units_with_role(*WORK_ROLES)
        if not units:
            return Q(pk__in=[])
        reports = _model("detection.ConcernReport").objects.filter(
            municipality_id=user.municipality_id,
            receiving_unit_id__in=units,
            child_record_id=OuterRef("pk"),
        )
        return Q(Exists(reports))

    def _allow_view(self, user: User) -> Self:
        """Per record, three indexed lookups (its case is seen, a case of its child is
        seen, a report about it reached the unit): cheap wherever the query is driven
        from a case, a parent or a unit, and no set of the unit's cases is built."""
        seen_cases = _cases(user, "view")
        return self.filter(
            Q(Exists(seen_cases.filter(pk=OuterRef("case_id"))))
            | Q(Exists(seen_cases.filter(person_id=OuterRef("child_id"))))
            | self._report_records(user)
        )

    def _allow_change(self, user: User) -> Self:
        open_cases = _cases(user, "change").open()
        return self.filter(Q(case_id__in=open_cases.values("pk")) | self._report_records(user))

    def attended(self) -> Self:
        return self.filter(attended_on__isnull=False)

    def not_attended(self) -> Self:
        return self.filter(attended_on__isnull=True)

    def born(self, on: datetime.date | None = None) -> Self:
        """Leaves out expected children not yet born on ``on`` (they are counted and
        queued on their own)."""
        from kinsight.detection.models import expected_q

        return self.exclude(expected_q(on or timezone.localdate()))

    def under_18(self, on: datetime.date | None = None) -> Self:
        """Children under 18 on ``on`` by birth year (a child born this year turns
        18 in the year ``on.year - 18``; exact dates are checked in Python)."""
        on = on or timezone.localdate()
        return self.filter(birth_year__gt=on.year - 18)


class ChildRecordPartQuerySet(TenantQuerySet):
    """Steps and flags: seen and changed with their child record."""

    def _allow_view(self, user: User) -> Self:
        records = _model("detection.ChildRecord").objects.visible_to(user, "view")
        return self.filter(record_id__in=records.values("pk"))

    def _allow_change(self, user: User) -> Self:
        records = _model("detection.ChildRecord").objects.visible_to(user, "change")
        return self.filter(record_id__in=records.values("pk"))

    _allow_create = _allow_change


class ConcernReportQuerySet(TenantQuerySet):
    def _receiving(self, user: User) -> Q:
        return Q(receiving_unit_id__in=user.units_with_role(*WORK_ROLES))

    def _allow_view(self, user: User) -> Self:
        units = user.units_with_role(*WORK_ROLES)
        return self.filter(
            Q(receiving_unit_id__in=units) | Q(reporting_unit_id__in=units) | Q(reported_by=user.pk)
        )

    def full_access(self, user: User) -> Self:
        """The reports ``user`` sees in full (content, child, reporter, decisions):
        a subset of visible_to(user, "view"); the rest are status views."""
        return self.visible_to(user, "view").filter(self._receiving(user))

    def _allow_change(self, user: User) -> Self:
        return self.filter(self._receiving(user))

    def awaiting_pre_assessment(self) -> Self:
        from kinsight.detection.models import ReportStatus

        return self.filter(status=ReportStatus.RECEIVED)

    def investigating(self) -> Self:
        from kinsight.detection.models import ReportStatus

        return self.filter(status=ReportStatus.INVESTIGATING)

    def awaiting_feedback(self) -> Self:
        """The reporter asked for feedback and has not had it (the clock runs)."""
        return self.filter(feedback_due_on__isnull=False, feedback_given_on__isnull=True)

    def due_by(self, day: datetime.date) -> Self:
        """Reports whose running clock ends on or before ``day`` (overdue when
        ``day`` is yesterday; "within 3 days" when it is today + 3)."""
        from kinsight.detection.models import ReportStatus

        return self.filter(
            Q(status=ReportStatus.RECEIVED, pre_assessment_due_on__lte=day)
            | Q(status=ReportStatus.INVESTIGATING, investigation_due_on__lte=day)
        )


class ChildQuestionAnswerQuerySet(TenantQuerySet):
    """The answer history: seen with its case."""

    def _allow_view(self, user: User) -> Self:
        return self.filter(question__case_id__in=_cases(user, "view").values("pk"))
