"""Reads of referrals (remisser): the lists, one referral, the consent it relies on
and the units that send it and take its next step."""

import datetime
from typing import TypeVar

from django.db.models import Prefetch, QuerySet

from kinsight.audit.services import audit_read, audit_read_many
from kinsight.core.models import OrgUnit, User
from kinsight.family.access import consent_covers_unit, in_force_q, participations, work_unit_ids
from kinsight.family.models import Consent, ConsentPurpose, FamilyWork
from kinsight.interventions.access import receives_at
from kinsight.interventions.models import Referral, ReferralStep
from kinsight.interventions.queries.common import REFERRAL_TYPE, row_or_404
from kinsight.people.models import Person

_Referrals = TypeVar("_Referrals", bound=QuerySet[Referral])


def _referrals(queryset: _Referrals) -> _Referrals:
    return queryset.select_related(
        "person", "from_unit", "to_unit", "intervention", "sent_by", "family_work"
    )


def referral_lists(
    *, actor: User, status: str = ""
) -> tuple[QuerySet[Referral], QuerySet[Referral]]:
    """Referrals received by the actor's units and sent from them. Audited."""
    received = Referral.objects.visible_to(actor, "view").received_by(actor)
    sent = Referral.objects.visible_to(actor, "view").sent_by(actor)
    if status:
        received = received.filter(status=status)
        sent = sent.filter(status=status)
    return _referrals(received).order_by("-sent_on", "-pk"), _referrals(sent).order_by(
        "-sent_on", "-pk"
    )


def referrals_for_work(*, actor: User, family_work: FamilyWork) -> list[Referral]:
    found = list(
        _referrals(Referral.objects.visible_to(actor, "view").filter(family_work=family_work))
    )
    audit_read_many(actor=actor, objects=found, object_type=REFERRAL_TYPE)
    return found


def _referral_rows(actor: User) -> QuerySet[Referral]:
    steps = ReferralStep.objects.select_related("by", "unit").order_by("on", "pk")
    return _referrals(Referral.objects.visible_to(actor, "view")).prefetch_related(
        Prefetch("steps", queryset=steps)
    )


def referral_get(*, actor: User, pk: int) -> Referral:
    """The referral for its page (404 when not seen); the read audited."""
    referral = row_or_404(_referral_rows(actor), pk)
    audit_read(actor=actor, obj=referral)
    return referral


def referral_for_step(*, actor: User, pk: int) -> Referral:
    """The referral a step is posted to (404 when not seen). Not audited: the step
    that follows is; who may take it is the acting unit's (referral_acting_unit)."""
    return row_or_404(_referral_rows(actor), pk)


def referral_consent(
    *,
    family_work: FamilyWork,
    person: Person,
    to_unit: OrgUnit | None = None,
    on: datetime.date | None = None,
) -> Consent | None:
    """The consent a referral relies on, or None: for a unit, a consent in force for
    purpose REFERRAL naming it or for all units while it takes part
    (consent_covers_unit); for an external provider, one for all units."""
    consents = Consent.objects.filter(
        family_work=family_work, person=person, purpose=ConsentPurpose.REFERRAL
    ).filter(in_force_q(on))
    if to_unit is None:
        return consents.filter(all_units=True).order_by("-valid_from", "-pk").first()
    if not consent_covers_unit(
        family_work=family_work,
        person=person,
        unit=to_unit,
        purpose=ConsentPurpose.REFERRAL,
        on=on,
    ):
        return None
    named = consents.filter(consent_units__unit=to_unit).order_by("-valid_from", "-pk").first()
    return named or consents.filter(all_units=True).order_by("-valid_from", "-pk").first()


def sending_unit(actor: User, family_work: FamilyWork) -> OrgUnit | None:
    """The actor's participating unit in the family work (the first, coordinator's
    first), or None."""
    found = (
        participations(actor)
        .filter(family_work_id=family_work.pk)
        .select_related("unit")
        .order_by("-is_coordinator", "pk")
        .first()
    )
    return found.unit if found is not None else None


def referral_acting_unit(actor: User, referral: Referral) -> OrgUnit | None:
    """The unit through which ``actor`` may take the referral's next step, or None:
    the receiving unit; for an external provider the sending unit."""
    if not Referral.objects.visible_to(actor, "change").filter(pk=referral.pk).exists():
        return None
    units = work_unit_ids(actor)
    if referral.is_external:
        if referral.from_unit_id in units or referral.sent_by_id == actor.pk:
            return referral.from_unit
        return None
    if receives_at(actor, referral.to_unit_id):
        return referral.to_unit
    return None
