"""The child question (barnfrågan): answering it on an adult's case, every answer kept."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.cases.models import Case
from kinsight.cases.rules import refuse_closed
from kinsight.core.models import User
from kinsight.core.services import create_audited, update_audited
from kinsight.core.versioning import NOT_YET_SAVED, StaleEdit, VersionMissing
from kinsight.detection.models import (
    Answer,
    ChildQuestion,
    ChildQuestionAnswer,
    add_months,
)
from kinsight.detection.rules import is_adult

QUESTION_FIELDS = ["has_children", "unknown_reason", "expecting_child", "next_ask_on"]


def question_months() -> int:
    return settings.KINSIGHT_CHILD_QUESTION_MONTHS


def child_question_answer(
    *,
    actor: User,
    case: Case,
    has_children: str,
    expecting_child: str,
    expected_version: int | None,
    unknown_reason: str = "",
) -> ChildQuestion:
    """Answer (or answer again) the child question on an adult's case.
    ``expected_version`` is the question's version the answer started from
    (NOT_YET_SAVED for a first answer): an answer saved meanwhile, the first one
    too, makes this one stale."""
    if expected_version is None:
        raise VersionMissing
    require(Case.objects.visible_to(actor, "change"), case)
    refuse_closed(case)
    if not is_adult(case.person):
        raise ValidationError(_("Barnfrågan ställs i ärenden för vuxna (18 år och äldre)."))
    errors: dict[str, str] = {}
    if has_children not in Answer.values:
        errors["has_children"] = _("Svara ja, nej eller okänt på om personen har barn under 18 år.")
    if expecting_child not in Answer.values:
        errors["expecting_child"] = _("Svara ja, nej eller okänt på om personen väntar barn.")
    unknown_reason = (unknown_reason or "").strip()
    if has_children == Answer.UNKNOWN and not unknown_reason:
        errors["unknown_reason"] = _(
            "Skriv varför det är okänt, t.ex. att personen inte ville eller kunde svara."
        )
    if len(unknown_reason) > 300:
        errors["unknown_reason"] = _("Skriv högst 300 tecken om varför det är okänt.")
    if errors:
        raise ValidationError(errors)
    if has_children != Answer.UNKNOWN:
        unknown_reason = ""
    now = timezone.now()
    # The answer as kept in the history, and on the question with its next date.
    answer: dict[str, Any] = {
        "has_children": has_children,
        "unknown_reason": unknown_reason,
        "expecting_child": expecting_child,
        "answered_at": now,
        "answered_by": actor,
    }
    values = {**answer, "next_ask_on": add_months(timezone.localdate(now), question_months())}
    with transaction.atomic():
        # Two first answers must not both find no question: the case row is the lock.
        Case.objects.select_for_update().filter(pk=case.pk).exists()
        question = ChildQuestion.objects.filter(case=case).first()
        if question is None:
            if expected_version != NOT_YET_SAVED:
                raise StaleEdit(StaleEdit.message)
            question = create_audited(
                actor,
                ChildQuestion,
                QUESTION_FIELDS,
                case=case,
                person_id=case.person_id,
                unit_id=case.unit_id,
                **values,
            )
        else:
            update_audited(
                actor,
                question,
                values,
                expected_version=expected_version,
                audited=QUESTION_FIELDS,
                stored=question,
            )
        create_audited(
            actor,
            ChildQuestionAnswer,
            ["question", "has_children", "unknown_reason", "expecting_child"],
            question=question,
            unit_id=case.unit_id,
            **answer,
        )
        return question
