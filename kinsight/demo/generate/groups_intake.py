"""The ways into the demo's support groups, written through the services as a person
would make them: the open group list turned on with two public cycles that start in a
few weeks (one of the municipal provider's, led by the demo's group leader, with two
applications waiting; one of the NGO's), and a referral of a child from the family
work's coordinating case worker to the municipal provider's unit, with the consent for
purpose REFERRAL that covers it. The group leader finds both on the start page and the
cycle's page. Run after kinsight.demo.generate.family and the groups' catalogue."""

import datetime

from kinsight.core.models import OrgUnit, User
from kinsight.family import services as family_services
from kinsight.family.models import (
    ConsentForm,
    ConsentPurpose,
    FamilyMember,
    FamilyRole,
    FamilyWork,
    Participant,
)
from kinsight.groups import services
from kinsight.groups.models import Cycle, Programme
from kinsight.groups.rules import own_consent_age
from kinsight.groups.services.applications import application_submit
from kinsight.groups.services.settings import settings_set
from kinsight.interventions.services import referral_send
from kinsight.people.models import RelationKind, Relationship

STARTS_IN = datetime.timedelta(weeks=3)
# Invented applicants (the demo's names are all made up): name, contact, age band, sex.
APPLICANTS = [
    ("Alva Exempelsson", "070-000 00 11", "7-12", "female"),
    ("Ture Påhittad", "ture.forälder@example.invalid", "7-12", "male"),
]


def open_list(
    head: User, programmes: list[tuple[Programme, User]], district: OrgUnit, today
) -> list[Cycle]:
    """The open list on; the next cycle of the second and third programmes public
    with free places, and two applications to the first of them."""
    age = own_consent_age(district.municipality_id)  # as it is: only the list is turned on
    settings_set(actor=head, public_list=True, own_consent_age=age)
    start_on = today + STARTS_IN
    cycles = [
        services.cycle_create(
            actor=head,
            programme=programme,
            name=f"{programme.name} nästa omgång",
            district=district,
            start_on=start_on,
            end_on=start_on + datetime.timedelta(weeks=programme.group_sessions - 1),
            venue="Träfflokalen vid torget",
            places=8,
            is_public=True,
            leaders=[leader],
        )
        for programme, leader in programmes[1:3]
    ]
    for name, contact, age_band, sex in APPLICANTS:
        application_submit(cycle=cycles[0], name=name, contact=contact, age_band=age_band, sex=sex)
    return cycles


def _child_with_guardian(work: FamilyWork, today) -> tuple[FamilyMember, FamilyMember] | None:
    """A child of the family work of a children's group's age (the youngest school
    child first) and a parent of the family who is their guardian, or None."""
    members = list(FamilyMember.objects.filter(family_work=work, ended_on__isnull=True))
    parents = [m for m in members if m.role != FamilyRole.CHILD]
    children = sorted(
        (m for m in members if m.role == FamilyRole.CHILD and (m.person.age(today) or 0) >= 7),
        key=lambda m: m.person.age(today) or 0,
    )
    for child in children:
        for parent in parents:
            if Relationship.objects.filter(
                from_person=parent.person, to_person=child.person, kind=RelationKind.GUARDIAN
            ).exists():
                return child, parent
    return None


def referral(municipality, provider_unit: OrgUnit, today) -> int:
    """A referral of a child to ``provider_unit`` by the coordinator of the first
    family work that has a school-age child with a guardian in it: the unit joins the
    family work, the guardian consents to the referral to it, the referral is sent.
    Returns how many were sent (0 when no family fits)."""
    works = FamilyWork.objects.filter(municipality=municipality, ended_on__isnull=True)
    for work in works.order_by("pk"):
        coordinator = Participant.objects.filter(
            family_work=work, is_coordinator=True, left_on__isnull=True, worker__isnull=False
        ).first()
        found = _child_with_guardian(work, today)
        if coordinator is None or found is None:
            continue
        child, guardian = found
        worker = coordinator.worker
        family_services.participant_add(actor=worker, family_work=work, unit=provider_unit)
        family_services.consent_record(
            actor=worker,
            family_work=work,
            person=child.person,
            purpose=ConsentPurpose.REFERRAL,
            form=ConsentForm.WRITTEN,
            units=[provider_unit],
            given_by=guardian.person,
        )
        referral_send(
            actor=worker,
            family_work=work,
            person=child.person,
            to_unit=provider_unit,
            reason="Barnet behöver en stödgrupp för barn till föräldrar med missbruk.",
        )
        return 1
    return 0
