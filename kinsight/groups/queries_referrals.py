"""Reads of the intake from referrals: the open referrals (sent or received) to the
unit of a municipal provider, for the leaders of that provider's current or planned
cycles. Each starts from ``Referral.objects.visible_to(actor, "change")``: a leader
sees a referral only as a member of staff of its receiving unit, never one to another
unit."""

import datetime

from django.db.models import Q, QuerySet

from kinsight.access.rules import municipality_id_of
from kinsight.audit.services import audit_read_many
from kinsight.core.models import User
from kinsight.groups.models import Cycle
from kinsight.interventions.models import Referral, ReferralStatus

REFERRAL_TYPE = "interventions.referral"
OPEN_REFERRAL = (ReferralStatus.SENT, ReferralStatus.RECEIVED)


def _open_to(actor: User, units: QuerySet | list[int | None]) -> QuerySet[Referral]:
    return Referral.objects.visible_to(actor, "change").filter(
        to_unit_id__in=units, status__in=OPEN_REFERRAL
    )


def referrals_for_cycle(*, actor: User, cycle: Cycle) -> list[Referral]:
    """The open referrals to the unit of the cycle's provider, oldest first, when the
    actor leads the cycle (else none); audited as one list read."""
    unit = cycle.programme.provider.unit_id
    leads = any(leader.pk == actor.pk for leader in cycle.leaders.all())  # prefetched
    if unit is None or not leads:
        return []
    rows = list(
        _open_to(actor, [unit]).select_related("person", "from_unit").order_by("sent_on", "pk")
    )
    audit_read_many(actor=actor, objects=rows, object_type=REFERRAL_TYPE)
    return rows


def open_referral_count(*, actor: User, day: datetime.date) -> int:
    """How many open referrals wait for the providers of the cycles the actor leads
    that have not ended (a count: no personal data)."""
    units = (
        Cycle.objects.filter(leaders=actor.pk, municipality_id=municipality_id_of(actor))
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=day))
        .filter(programme__provider__unit__isnull=False)
        .values("programme__provider__unit_id")
    )
    return _open_to(actor, units).count()
