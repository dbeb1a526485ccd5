"""Expected children (väntade barn): recorded with the month they are expected, born
later with a first name and birth date."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.cases.models import Case
from kinsight.cases.rules import refuse_closed
from kinsight.core.models import User
from kinsight.core.services import update_audited
from kinsight.core.validation import today
from kinsight.detection.models import (
    ChildRecord,
    Custody,
    LivesWith,
    add_months,
)
from kinsight.detection.services.child_records import _record_create, check_living

EXPECTED_MONTHS_AHEAD = 10


def child_record_add_expected(
    *,
    actor: User,
    case: Case,
    expected_month: datetime.date | None,
    custody: str = Custody.UNKNOWN,
    lives_with: str = LivesWith.UNKNOWN,
) -> ChildRecord:
    """Record an expected child (väntat barn) of the case's person: a child to plan
    for, with the month it is expected and the same steps as any child."""
    require(Case.objects.visible_to(actor, "change"), case)
    refuse_closed(case)
    this_month = today().replace(day=1)
    if expected_month is not None:
        expected_month = expected_month.replace(day=1)
    if not (
        expected_month
        and add_months(this_month, -1)
        <= expected_month
        <= add_months(this_month, EXPECTED_MONTHS_AHEAD)
    ):
        raise ValidationError(
            {
                "expected_month": _(
                    "Ange månaden barnet väntas: från förra månaden och högst tio månader fram."
                )
            }
        )
    errors: dict[str, str] = {}
    check_living(errors, custody, lives_with)
    waiting = ChildRecord.objects.filter(
        case=case, expected_month__isnull=False, birth_date__isnull=True
    ).first()
    if waiting is not None:
        errors["expected_month"] = _(
            "Det finns redan ett väntat barn i ärendet (väntas %(month)s). Öppna det i stället."
        ) % {"month": waiting.expected_month.strftime("%Y-%m")}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _record_create(
            actor=actor,
            case=case,
            first_name="",
            birth_year=expected_month.year,
            expected_month=expected_month,
            custody=custody,
            lives_with=lives_with,
            identified_on=today(),
        )


def child_record_born(
    *,
    actor: User,
    record: ChildRecord,
    expected_version: int | None,
    first_name: str,
    birth_date: datetime.date | None,
) -> ChildRecord:
    """The expected child is born: it gets its first name and birth date and goes on
    as a child of the parent's case, with its steps kept."""
    require(ChildRecord.objects.visible_to(actor, "change"), record)
    stored = ChildRecord._base_manager.get(pk=record.pk)
    if not stored.is_expected:
        raise ValidationError(_("Barnet är redan registrerat som fött."))
    first_name = (first_name or "").strip()
    errors: dict[str, str] = {}
    if not first_name:
        errors["first_name"] = _("Ange barnets förnamn.")
    if birth_date is None:
        errors["birth_date"] = _("Ange barnets födelsedatum.")
    elif birth_date > today():
        errors["birth_date"] = _("Födelsedatumet kan inte ligga i framtiden.")
    elif stored.parent.birth_date and birth_date <= stored.parent.birth_date:
        errors["birth_date"] = _("Barnet kan inte vara fött före föräldern.")
    if errors or birth_date is None:
        raise ValidationError(errors)
    values = {"first_name": first_name, "birth_date": birth_date, "birth_year": birth_date.year}
    with transaction.atomic():
        return update_audited(
            actor, record, values, expected_version=expected_version, stored=stored
        )
