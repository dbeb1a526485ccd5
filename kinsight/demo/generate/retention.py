"""Retention in the demo: the statutory rules, a second administrator (two must approve
a culling), a few invented persons whose files were last written six to eight years
ago (one born on the 15th, kept for research; one under a legal hold), and the nightly
proposal, so the administrator has something to preview and approve."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from kinsight.cases.models import Case, CaseStatus
from kinsight.core.models import Membership, Municipality, NodeKind, OrgUnit, Role, UnitType, User
from kinsight.people import grants
from kinsight.people.identifiers import IdentifierKind, synthetic_national
from kinsight.people.models import Person
from kinsight.retention.models import LegalHold
from kinsight.retention.services import proposal_create, rules_ensure

# (first name, last name, birth date, years since the last entry, held)
OLD_FILES = [
    ("Gunnar", "Gammalsson", datetime.date(1961, 2, 7), 8, False),
    ("Ingrid", "Förrsson", datetime.date(1972, 9, 21), 7, False),
    ("Sven", "Arkivsson", datetime.date(1958, 11, 3), 6, False),
    ("Maj", "Forskarsdotter", datetime.date(1966, 5, 15), 7, False),
    ("Olle", "Spärrsson", datetime.date(1975, 1, 28), 6, True),
]
SERIAL = 987


def _second_administrator(municipality: Municipality) -> User:
    first = User.objects.get(
        municipality=municipality, memberships__role=Role.ADMINISTRATOR, username__endswith="admin"
    )
    administration = OrgUnit.objects.get(municipality=municipality, kind=NodeKind.ADMINISTRATION)
    second = User.objects.create(
        municipality=municipality,
        username=first.username + "2",
        first_name="Adam",
        last_name="Andreförvaltare",
        email=f"{first.username}2@{municipality.code}.demo.invalid",
        title=str(Role.ADMINISTRATOR.label),
        password=first.password,
    )
    Membership.objects.create(
        municipality=municipality, user=second, unit=administration, role=Role.ADMINISTRATOR
    )
    return first


def _old_file(municipality, unit, first, last, born, years):
    day = timezone.localdate().replace(year=timezone.localdate().year - years, day=1)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    person = Person.objects.create(
        municipality=municipality,
        identifier_kind=IdentifierKind.PERSONNUMMER,
        identifier=synthetic_national(born, SERIAL),
        birth_date=born,
        first_name=first,
        last_name=last,
        is_synthetic=True,
        registered_unit=unit,
    )
    Person.objects.filter(pk=person.pk).update(created_at=at)
    grants.grant_registration(person)
    case = Case.objects.create(
        municipality=municipality,
        person=person,
        unit=unit,
        subject="Ansökan om stöd (avslutat)",
        opened_on=day - datetime.timedelta(days=90),
        closed_on=day,
        status=CaseStatus.CLOSED,
    )
    Case.objects.filter(pk=case.pk).update(status_changed_at=at, created_at=at)
    grants.grant_case(case)
    return person


@transaction.atomic
def generate_retention(municipality: Municipality) -> None:
    rules_ensure(municipality.pk)
    administrator = _second_administrator(municipality)
    unit = OrgUnit.objects.filter(
        municipality=municipality, unit_type=UnitType.ADULTS_ADDICTION
    ).first()
    for first, last, born, years, held in OLD_FILES:
        person = _old_file(municipality, unit, first, last, born, years)
        if held:
            LegalHold.objects.create(
                municipality=municipality,
                person=person,
                reason="Begäran om utlämnande under handläggning",
                created_by=administrator,
            )
    proposal_create(municipality.pk)
