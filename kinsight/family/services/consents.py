"""Consent (samtycke): record one from (or for) a family member, withdraw it."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import municipality_id_of, require
from kinsight.audit.services import audit_updated
from kinsight.core.models import OrgUnit, User
from kinsight.core.services import create_audited, save_changes
from kinsight.family import grants
from kinsight.family.models import Consent, ConsentUnit, FamilyMember, FamilyWork, Participant
from kinsight.family.rules import refuse_closed
from kinsight.family.services.common import my_participant
from kinsight.people.models import Person, RelationKind, Relationship

CONSENT_FIELDS = [
    "family_work",
    "person",
    "given_by",
    "purpose",
    "all_units",
    "form",
    "given_on",
    "valid_from",
    "valid_to",
    "child_view",
    "recorded_by",
    "recorded_unit",
]


def _is_guardian(guardian: Person, child: Person, on: datetime.date) -> bool:
    return (
        Relationship.objects.filter(
            from_person=guardian, to_person=child, kind=RelationKind.GUARDIAN
        )
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .exists()
    )


def _giver_errors(
    person: Person,
    given_by: Person | None,
    child_view: str,
    child_view_text: str,
    today: datetime.date,
) -> dict[str, str]:
    """A child's consent is given by a guardian, with the child's own view from
    settings.KINSIGHT_CHILD_VIEW_AGE; an adult gives their own."""
    errors: dict[str, str] = {}
    age = person.age(today)
    is_child = age is not None and age < 18
    if is_child:
        if given_by is None:
            errors["given_by"] = _(
                "Ett samtycke för ett barn lämnas av en vårdnadshavare. Välj vem."
            )
        elif not _is_guardian(given_by, person, today):
            errors["given_by"] = _("%(name)s är inte vårdnadshavare för %(child)s.") % {
                "name": given_by,
                "child": person,
            }
        if (child_view or child_view_text.strip()) and age < settings.KINSIGHT_CHILD_VIEW_AGE:
            errors["child_view"] = _(
                "Barnets egen uppfattning registreras från %(age)s års ålder; %(name)s är %(now)s."
            ) % {"age": settings.KINSIGHT_CHILD_VIEW_AGE, "name": person, "now": age}
    else:
        if given_by is not None:
            errors["given_by"] = _("En vuxen lämnar samtycket själv. Lämna fältet tomt.")
        if child_view or child_view_text.strip():
            errors["child_view"] = _("Barnets uppfattning gäller bara samtycken för barn.")
    return errors


def _unit_errors(family_work: FamilyWork, all_units: bool, units: list[OrgUnit]) -> dict[str, str]:
    errors: dict[str, str] = {}
    current_units = set(
        Participant.objects.filter(family_work=family_work, left_on__isnull=True).values_list(
            "unit_id", flat=True
        )
    )
    if not all_units and not units:
        errors["units"] = _("Välj vilka enheter samtycket gäller, eller alla deltagande enheter.")
    if any(unit.pk not in current_units for unit in units):
        errors["units"] = _("Samtycket kan bara gälla enheter som deltar i familjeärendet.")
    return errors


def consent_record(
    *,
    actor: User,
    family_work: FamilyWork,
    person: Person,
    purpose: str,
    form: str,
    given_on: datetime.date | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    all_units: bool = False,
    units: Iterable[OrgUnit] = (),
    given_by: Person | None = None,
    child_view: str = "",
    child_view_text: str = "",
    note: str = "",
) -> Consent:
    """Record a consent from (or for) a family member. For a child, ``given_by`` is a
    guardian (required) and the child's own view may be recorded from
    settings.KINSIGHT_CHILD_VIEW_AGE."""
    require(FamilyWork.objects.visible_to(actor, "view"), family_work)
    participant = my_participant(actor, family_work)
    refuse_closed(family_work)
    today = timezone.localdate()
    given_on = given_on or today
    valid_from = valid_from or given_on
    units = list(units)
    errors: dict[str, str] = {}
    if not FamilyMember.objects.filter(
        family_work=family_work, person=person, ended_on__isnull=True
    ).exists():
        errors["person"] = _("Personen ingår inte i familjen.")
    if given_on > today:
        errors["given_on"] = _("Datum då samtycket lämnades kan inte vara i framtiden.")
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _(
            "Samtycket kan inte upphöra före det börjar gälla. Ändra till-datum eller från-datum."
        )
    given_by = None if given_by is not None and given_by.pk == person.pk else given_by
    errors.update(_giver_errors(person, given_by, child_view, child_view_text, today))
    errors.update(_unit_errors(family_work, all_units, units))
    if errors:
        raise ValidationError(errors)
    municipality_id = municipality_id_of(actor)
    with transaction.atomic():
        consent = create_audited(
            actor,
            Consent,
            CONSENT_FIELDS,
            clean=True,
            extra={"units": sorted(unit.pk for unit in units)},
            family_work=family_work,
            person=person,
            given_by=given_by,
            purpose=purpose,
            all_units=all_units,
            form=form,
            given_on=given_on,
            valid_from=valid_from,
            valid_to=valid_to,
            child_view=child_view or "",
            child_view_text=child_view_text or "",
            note=note or "",
            recorded_by=actor,
            recorded_unit=participant.unit,
        )
        for unit in units:
            ConsentUnit.objects.create(municipality_id=municipality_id, consent=consent, unit=unit)
        grants.consent_grants_add(family_work, consent=consent)
        return consent


def consent_withdraw(
    *, actor: User, consent: Consent, reason: str, withdrawn_on: datetime.date | None = None
) -> Consent:
    """Record a withdrawal: the consent stops covering anyone from the next request."""
    require(Consent.objects.visible_to(actor, "change"), consent)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("Samtycket är redan återkallat."))
    withdrawn_on = withdrawn_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = _("Skriv varför samtycket återkallas, t.ex. personens egna ord.")
    if withdrawn_on > timezone.localdate():
        errors["withdrawn_on"] = _(
            "En återkallelse gäller från i dag; datumet kan inte vara senare."
        )
    elif withdrawn_on < consent.given_on:
        errors["withdrawn_on"] = _("Återkallelsen kan inte vara före samtycket lämnades.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = Consent._base_manager.select_for_update().get(pk=consent.pk)
        if stored.withdrawn_on is not None:
            raise ValidationError(_("Samtycket är redan återkallat."))
        values = {
            "withdrawn_on": withdrawn_on,
            "withdrawal_reason": reason.strip(),
            "withdrawn_by": actor,
        }
        changes = save_changes(consent, values, expected_version=stored.version, stored=stored)
        grants.grants_end(consent.family_work, consent_id=consent.pk)
        return audit_updated(actor, consent, changes)
