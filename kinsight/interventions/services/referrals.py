"""Referrals (remisser) of a family member to a unit or an external provider, with
consent, and their steps."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinsight.audit.services import audit_updated
from kinsight.core.models import OrgUnit, User
from kinsight.core.services import create_audited, save_changes
from kinsight.core.validation import not_future, today
from kinsight.family.models import FamilyWork
from kinsight.family.rules import refuse_closed
from kinsight.interventions.models import (
    REFERRAL_TRANSITIONS,
    Intervention,
    PlanIntervention,
    ProviderKind,
    Referral,
    ReferralStatus,
    ReferralStep,
)
from kinsight.interventions.queries import (
    referral_acting_unit,
    referral_consent,
    sending_unit,
)
from kinsight.interventions.rules import own_unit, require_member
from kinsight.people.models import Person

# The content of a referral (its reason, notes) is never copied into the audit log.
REFERRAL_FIELDS = [
    "family_work",
    "person",
    "intervention",
    "plan_intervention",
    "from_unit",
    "to_unit",
    "external_provider",
    "consent",
    "status",
    "sent_on",
]


def referral_send(
    *,
    actor: User,
    family_work: FamilyWork,
    person: Person,
    reason: str,
    to_unit: OrgUnit | None = None,
    external_provider: str = "",
    external_contact: str = "",
    intervention: Intervention | None = None,
    plan_intervention: PlanIntervention | None = None,
    sent_on: datetime.date | None = None,
) -> Referral:
    """Send a referral of a family member, only with the person's consent for purpose
    REFERRAL covering the receiver."""
    from_unit = sending_unit(actor, family_work)
    if from_unit is None:
        raise PermissionDenied
    refuse_closed(family_work)
    require_member(family_work, person, "person")
    external_provider = (external_provider or "").strip()
    if intervention is not None and not external_provider and to_unit is None:
        if intervention.provider_kind == ProviderKind.EXTERNAL:
            external_provider = intervention.provider_name
            external_contact = external_contact or intervention.provider_contact
        elif intervention.provider_unit_id:
            to_unit = intervention.provider_unit
    errors: dict[str, str] = {}
    if (to_unit is None) == (not external_provider):
        errors["to_unit"] = _("Välj antingen en enhet eller skriv en extern utförare.")
    if to_unit is not None and to_unit.pk == from_unit.pk:
        errors["to_unit"] = _("Remissen kan inte gå till din egen enhet.")
    if not (reason or "").strip():
        errors["reason"] = _("Skriv vad remissen gäller och vilket stöd som önskas.")
    if intervention is not None and intervention.municipality_id != actor.municipality_id:
        errors["intervention"] = _("Välj en insats ur katalogen.")
    if plan_intervention is not None and plan_intervention.plan.family_work_id != family_work.pk:
        errors["plan_intervention"] = _("Välj en insats i familjens plan.")
    if errors:
        raise ValidationError(errors)
    own_unit(actor, to_unit, "to_unit")
    sent_on = sent_on or today()
    not_future(sent_on, "sent_on", _("Datum"))
    consent = referral_consent(family_work=family_work, person=person, to_unit=to_unit)
    if consent is None:
        if to_unit is None:
            message = _(
                "Remissen kan inte skickas: %(person)s har inget gällande samtycke till "
                "remiss till extern utförare. Det behövs ett samtycke för ändamålet remiss "
                "som gäller alla enheter (och där det framgår att det omfattar %(to)s). "
                "Registrera samtycket i familjeärendet först."
            ) % {"person": person, "to": external_provider}
        else:
            message = _(
                "Remissen kan inte skickas: %(person)s har inget gällande samtycke till "
                "remiss som omfattar %(to)s. Registrera samtycket i familjeärendet först."
            ) % {"person": person, "to": to_unit}
        raise ValidationError(message, code="no_consent")
    with transaction.atomic():
        referral = create_audited(
            actor,
            Referral,
            REFERRAL_FIELDS,
            family_work=family_work,
            person=person,
            plan_intervention=plan_intervention,
            intervention=intervention,
            from_unit=from_unit,
            to_unit=to_unit,
            external_provider=external_provider if to_unit is None else "",
            external_contact=(external_contact or "") if to_unit is None else "",
            reason=reason.strip(),
            consent=consent,
            sent_on=sent_on,
            sent_by=actor,
            status_changed_on=sent_on,
        )
        _step_add(actor, referral, from_unit)
        return referral


def _step_add(actor: User, referral: Referral, unit: OrgUnit, note: str = "") -> ReferralStep:
    """The step ``referral`` has just taken (its status, on its date), by ``actor`` for
    ``unit``."""
    return ReferralStep.objects.create(
        municipality_id=referral.municipality_id,
        referral=referral,
        status=referral.status,
        on=referral.status_changed_on,
        by=actor,
        unit=unit,
        note=note,
    )


def referral_step(
    *,
    actor: User,
    referral: Referral,
    status: str,
    expected_version: int | None,
    on: datetime.date | None = None,
    note: str = "",
) -> Referral:
    """The next step of a referral, dated and by whom."""
    unit = referral_acting_unit(actor, referral)
    if unit is None:
        raise PermissionDenied
    if status not in [s.value for s in REFERRAL_TRANSITIONS[ReferralStatus(referral.status)]]:
        raise ValidationError(
            {
                "status": _("Remissen är %(status)s och kan inte bli %(next)s.")
                % {
                    "status": referral.get_status_display().lower(),
                    "next": ReferralStatus(status).label.lower()
                    if status in ReferralStatus.values
                    else status,
                }
            }
        )
    on = on or today()
    not_future(on, "on", _("Datum"))
    if on < referral.status_changed_on:
        raise ValidationError(
            {
                "on": _("Datumet kan inte vara före föregående steg (%(day)s).")
                % {"day": referral.status_changed_on.isoformat()}
            }
        )
    note = (note or "").strip()
    if status == ReferralStatus.DECLINED and not note:
        raise ValidationError({"note": _("Skriv varför remissen avböjs.")})
    with transaction.atomic():
        changes = save_changes(
            referral,
            {"status": status, "status_changed_on": on},
            expected_version=expected_version,
            audited=["status"],
        )
        step = _step_add(actor, referral, unit, note)
        return audit_updated(actor, referral, {**changes, "step": [None, step.pk]})
