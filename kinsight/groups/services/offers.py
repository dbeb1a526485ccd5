"""A support group offered by name: to a child as next of kin (barn som anhörig) from
the child's record, or to the person of a case (a parent, an adult) from the case, by
a worker who may change it. The person goes on an open cycle's waiting list as an
identified participant; a child's record is linked and takes the step "support
offered" when its lifecycle allows it. The offers and the intake from a referral share
one check of the place (``check_place``) and of the programme's fit (``check_fit``)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kinsight.access.rules import municipality_id_of, require
from kinsight.cases.models import Case
from kinsight.cases.rules import refuse_closed
from kinsight.core.models import User
from kinsight.core.services import create_audited
from kinsight.detection.models import ChildRecord, ChildStatus
from kinsight.detection.rules import is_adult
from kinsight.detection.services import child_record_step
from kinsight.groups.models import (
    AgeBand,
    Cycle,
    GroupParticipant,
    Intake,
    ParticipantStatus,
    Programme,
    TargetGroup,
)
from kinsight.groups.queries_applications import open_cycles_in
from kinsight.groups.services.cycles import PARTICIPANT_FIELDS

OFFER_INTAKES = (Intake.DECISION, Intake.SELF)
# The upper age of each band, youngest first (the last band has none).
AGE_BANDS = ((6, AgeBand.UNDER_7), (12, AgeBand.CHILD), (16, AgeBand.TEEN), (25, AgeBand.YOUNG))


# Programmes for adults, where the programme sets no age range (the rest: children).
ADULT_GROUPS = (TargetGroup.YOUNG_ADULTS, TargetGroup.PARENTS, TargetGroup.ADULTS)


def age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.ADULT
    return next((band for upper, band in AGE_BANDS if age <= upper), AgeBand.ADULT)


def open_cycles(actor: User) -> QuerySet[Cycle]:
    """The cycles of active programmes in the actor's municipality that have not
    ended, each with ``taken`` places (no participant data: counts only), counted as
    the open list counts them (``queries_applications.open_cycles_in``)."""
    return open_cycles_in(municipality_id_of(actor))


def _age_range(programme: Programme) -> str:
    low, high = programme.min_age, programme.max_age
    if low is not None and high is not None:
        return _("%(low)s–%(high)s år") % {"low": low, "high": high}
    if low is not None:
        return _("från %(low)s år") % {"low": low}
    return _("upp till %(high)s år") % {"high": high}


def check_fit(programme: Programme, age: int | None, adult: bool) -> None:
    """The programme is for this person: within its age range where it sets one,
    otherwise by its target group (adults: young adults, parents, adults)."""
    low, high = programme.min_age, programme.max_age
    if low is not None or high is not None:
        outside = age is not None and (
            (low is not None and age < low) or (high is not None and age > high)
        )
        if outside:
            raise ValidationError(
                {
                    "cycle": _("%(programme)s är för %(range)s; personen är %(age)s år.")
                    % {"programme": programme.name, "range": _age_range(programme), "age": age}
                }
            )
        return
    if (programme.target_group in ADULT_GROUPS) != adult:
        whom = _("vuxna") if adult else _("barn och unga")
        raise ValidationError(
            {
                "cycle": _("%(programme)s är en grupp för %(target)s: välj en grupp för %(whom)s.")
                % {
                    "programme": programme.name,
                    "target": programme.get_target_group_display().lower(),
                    "whom": whom,
                }
            }
        )


def lock_cycle(cycle: Cycle) -> None:
    """Lock the cycle so that two takers cannot both have its last place."""
    list(Cycle.objects.select_for_update().filter(pk=cycle.pk).values_list("pk"))


def locked_open_cycle(cycle: Cycle, municipality_id: int) -> Any:
    """The cycle, locked (``lock_cycle``), with its ``taken`` places as the open list
    counts them; None when it is not open (ended, or its programme inactive)."""
    lock_cycle(cycle)
    return open_cycles_in(municipality_id).filter(pk=cycle.pk).first()


def check_place(actor: User, cycle: Cycle, same: Q, taken_message: str) -> Cycle:
    """An open cycle with a free place where ``same`` (the person) is not yet; locks
    the cycle so that two intakes cannot both take its last place."""
    found = locked_open_cycle(cycle, municipality_id_of(actor))
    if found is None:
        raise ValidationError({"cycle": _("Välj en pågående eller planerad gruppomgång.")})
    if found.taken >= found.places:
        raise ValidationError({"cycle": _("Gruppomgången är full.")})
    if GroupParticipant.objects.filter(cycle=cycle).filter(same).exists():
        raise ValidationError({"cycle": taken_message})
    return found


def _check_offer(
    actor: User, cycle: Cycle, intake: str, *, same: Q, age: int | None, adult: bool, taken: str
) -> None:
    if intake not in OFFER_INTAKES:
        raise ValidationError(
            {"intake": _("Ett erbjudande gäller ett biståndsbeslut eller en egen ansökan.")}
        )
    found = check_place(actor, cycle, same, taken)
    check_fit(found.programme, age, adult)


def add_waiting(actor: User, cycle: Cycle, **values: Any) -> GroupParticipant:
    """An identified participant on the cycle's waiting list, in its district."""
    return create_audited(
        actor,
        GroupParticipant,
        [*PARTICIPANT_FIELDS, "child_record"],
        clean=True,
        cycle=cycle,
        district=cycle.district,
        status=ParticipantStatus.WAITING,
        **values,
    )


def participant_offer(
    *,
    actor: User,
    record: ChildRecord,
    cycle: Cycle,
    intake: str,
    measurement_consent: bool = False,
) -> GroupParticipant:
    """Offer ``cycle`` to the child of ``record``: on the waiting list, identified and
    linked to the record; the record's step "support offered" when allowed."""
    require(ChildRecord.objects.visible_to(actor, "change"), record)
    if record.is_expected:
        raise ValidationError({"cycle": _("Ett väntat barn kan inte erbjudas en stödgrupp.")})
    child = record.child
    age = record.age()
    with transaction.atomic():
        same = Q(child_record=record) | (Q(person=child) if child else Q())
        taken = _("Barnet finns redan i gruppomgången.")
        _check_offer(actor, cycle, intake, same=same, age=age, adult=age >= 18, taken=taken)
        participant = add_waiting(
            actor,
            cycle,
            person=child,
            child_record=record,
            age_band=age_band(age),
            sex=child.sex if child else "",
            intake=intake,
            measurement_consent=measurement_consent,
        )
        if ChildStatus.SUPPORT_OFFERED in record.next_statuses():
            child_record_step(
                actor=actor,
                record=record,
                status=ChildStatus.SUPPORT_OFFERED,
                expected_version=record.version,
                note=f"Stödgrupp: {cycle.programme} ({cycle})"[:500],
            )
        return participant


def participant_offer_to_case(
    *,
    actor: User,
    case: Case,
    cycle: Cycle,
    intake: str,
    measurement_consent: bool = False,
) -> GroupParticipant:
    """Offer ``cycle`` to the person of ``case`` (a parent, an adult; after a decision
    or on their own application): on the waiting list, identified."""
    require(Case.objects.visible_to(actor, "change"), case)
    refuse_closed(case)
    person = case.person
    age = person.age()
    with transaction.atomic():
        taken = _("%(name)s finns redan i gruppomgången.") % {"name": person}
        adult = is_adult(person)
        _check_offer(actor, cycle, intake, same=Q(person=person), age=age, adult=adult, taken=taken)
        return add_waiting(
            actor,
            cycle,
            person=person,
            age_band=age_band(age),
            sex=person.sex,
            intake=intake,
            measurement_consent=measurement_consent,
        )
