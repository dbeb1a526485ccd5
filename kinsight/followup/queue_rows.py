"""The work queue's rows: each item with what it is about, its dates and the page
where it is acted on (kinsight.followup.queue has the groups and their rules)."""

import datetime
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.detection.models import ReportStatus


def _url(name, fallback=None, **kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return fallback


@dataclass
class Item:
    title: str
    detail: str
    unit: str
    since: datetime.date | None
    due: datetime.date | None
    url: str | None
    action: str
    protected: bool = False
    today: datetime.date | None = None

    @property
    def days_left(self):
        if self.due is None or self.today is None:
            return None
        return (self.due - self.today).days

    @property
    def days_late(self):
        left = self.days_left
        return -left if left is not None and left < 0 else 0

    @property
    def is_overdue(self):
        left = self.days_left
        return left is not None and left < 0


def items(key, objects, today):
    """Rows to show: each with the page where the item is acted on."""
    rows = []
    for obj in objects:
        if key in ("questions", "unknown"):
            case_url = reverse("cases:case_detail", args=[obj.pk])
            question = getattr(obj, "child_question", None) if key == "unknown" else None
            rows.append(
                Item(
                    title=obj.person.full_name,
                    detail=obj.subject,
                    unit=obj.unit.name,
                    since=timezone.localdate(obj.due) if question else obj.due,
                    due=None,
                    url=_url("detection:question_answer", case_url, case_pk=obj.pk),
                    action=str(_("Ställ barnfrågan")),
                    protected=obj.person.protected_identity,
                    today=today,
                )
            )
        elif key == "not_attended":
            case_url = reverse("cases:case_detail", args=[obj.case_id])
            rows.append(
                Item(
                    title=obj.display_name,
                    detail=str(_("Barn till %(parent)s, %(age)s år"))
                    % {"parent": obj.parent.full_name, "age": obj.age(today)},
                    unit=obj.unit.name,
                    since=obj.identified_on,
                    due=None,
                    url=_url("detection:child_detail", case_url, pk=obj.pk),
                    action=str(_("Uppmärksamma barnet")),
                    protected=bool(obj.child_id and obj.child.protected_identity),
                    today=today,
                )
            )
        elif key == "expected":
            rows.append(_expected_item(obj, today))
        elif key == "feedback":
            rows.append(_feedback_item(obj, today))
        elif key == "plan_follow_ups":
            item = obj.plan_intervention
            rows.append(
                Item(
                    title=item.plan.family_work.title,
                    detail=f"{item.intervention.name}: {item.goal.perspective_label}",
                    unit=item.responsible_unit.name,
                    since=item.start_on,
                    due=obj.due_on,
                    url=_url("interventions:follow_up", None, pk=obj.pk),
                    action=str(_("Följ upp insatsen")),
                    today=today,
                )
            )
        elif key == "meeting_tasks":
            rows.append(
                Item(
                    title=obj.title,
                    detail=obj.family_work.title,
                    unit=obj.responsible_unit.name,
                    since=timezone.localdate(obj.created_at),
                    due=obj.due_on,
                    url=_url("family:detail", None, pk=obj.family_work_id),
                    action=str(_("Gör uppgiften")),
                    today=today,
                )
            )
        else:
            rows.append(
                Item(
                    title=obj.child_name,
                    detail=str(obj.get_status_display()),
                    unit=obj.receiving_unit.name,
                    since=obj.received_on,
                    due=obj.due,
                    url=_url("detection:report_detail", None, pk=obj.pk),
                    action=str(
                        _("Gör förhandsbedömningen")
                        if obj.status == ReportStatus.RECEIVED
                        else _("Avsluta utredningen")
                    ),
                    today=today,
                )
            )
    return rows


def _expected_item(case, today):
    """A parent expecting a child: plan for it (record the expected child, attend)."""
    if case.expected_month:
        detail = _("Väntar barn, beräknat %(month)s") % {
            "month": case.expected_month.strftime("%Y-%m")
        }
        url = _url("detection:child_detail", None, pk=case.expected_record)
    else:
        detail = _("Väntar barn (enligt barnfrågan)")
        url = _url("detection:expected_new", None, case_pk=case.pk)
    answered = getattr(case, "child_question", None)
    return Item(
        title=case.person.full_name,
        detail=str(detail),
        unit=case.unit.name,
        since=timezone.localdate(answered.answered_at) if answered else case.opened_on,
        due=None,
        url=url,
        action=str(_("Väntat barn – planera")),
        protected=case.person.protected_identity,
        today=today,
    )


def _feedback_item(report, today):
    """A reporter who asked to hear whether an investigation was opened."""
    return Item(
        title=report.child_name,
        detail=str(
            _("Beslut %(day)s: %(decision)s")
            % {
                "day": report.pre_assessment_decided_on.strftime("%Y-%m-%d"),
                "decision": report.get_pre_assessment_decision_display().lower(),
            }
        ),
        unit=report.receiving_unit.name,
        since=report.pre_assessment_decided_on,
        due=report.feedback_due_on,
        url=_url("detection:report_detail", None, pk=report.pk),
        action=str(_("Ge återkoppling till anmälaren")),
        today=today,
    )
