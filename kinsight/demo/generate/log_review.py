"""Log review in the demo: the case worker Hanna reads what makes a hit of each pattern
(many persons within the hour, a person with protected identity, a person only the
children's unit works with, a person named as a colleague, a person with her own
surname), the log reviewer Lova reviews two of the hits, and last month's samples are
drawn. The reads are written now (the chain's time never goes back), so a hit of
"outside working hours" shows only when the demo was set up outside them."""

from __future__ import annotations

from django.db import transaction

from kinsight.audit import patterns, review, sampling
from kinsight.audit.services import audit_read
from kinsight.cases.models import Case
from kinsight.core.models import Municipality, OrgUnit, UnitType, User
from kinsight.people import grants
from kinsight.people.identifiers import IdentifierKind
from kinsight.people.models import Person, PersonGrant


def _staff(municipality: Municipality, first: str, last: str) -> User:
    return User.objects.get(municipality=municipality, first_name=first, last_name=last)


def _unit(municipality: Municipality, unit_type: str) -> OrgUnit:
    return OrgUnit.objects.filter(municipality=municipality, unit_type=unit_type).first()  # type: ignore[return-value]


def _person(
    municipality: Municipality, unit: OrgUnit, first: str, last: str, **fields: object
) -> Person:
    person = Person.objects.create(
        municipality=municipality,
        identifier_kind=IdentifierKind.NONE,
        first_name=first,
        last_name=last,
        registered_unit=unit,
        is_synthetic=True,
        **fields,
    )
    grants.grant_registration(person)
    return person


def generate_log_review(municipality: Municipality) -> dict[str, int]:
    worker = _staff(municipality, "Hanna", "Handläggare")
    reviewer = _staff(municipality, "Lova", "Loggranskare")
    manager = _staff(municipality, "Elin", "Enhetschef")
    unit = _unit(municipality, UnitType.ADULTS_ADDICTION)
    children = _unit(municipality, UnitType.CHILDREN_YOUTH)
    with transaction.atomic():
        hidden = _person(municipality, unit, "Sara", "Skyddad", protected_identity=True)
        grants.grant_case(
            Case.objects.create(
                municipality=municipality, person=hidden, unit=unit, subject="Ansökan om stöd"
            )
        )
        colleague = _person(municipality, unit, manager.first_name, manager.last_name)
        namesake = _person(municipality, unit, "Harald", worker.last_name)
    own = PersonGrant.objects.filter(unit=unit).values("person_id")
    outside = (
        PersonGrant.objects.filter(unit=children).exclude(person_id__in=own).order_by("pk").first()
    )
    many = list(
        Person.objects.filter(pk__in=own).order_by("pk")[: patterns.many_persons_threshold()]
    )
    read = [hidden, colleague, namesake, *many]
    if outside is not None:
        read.append(outside.person)
    for person in read:
        audit_read(actor=worker, obj=person)
    today = patterns.default_period()[1]
    bucket = today.isoformat()
    made = 0
    for pattern, person, outcome, comment in (
        ("protected", hidden, "in_order", "Handläggaren har ärendet om personen."),
        (
            "colleague",
            colleague,
            "follow_up",
            "Fråga enhetschefen varför en kollegas uppgifter lästes.",
        ),
    ):
        review.review_hit_create(
            actor=reviewer,
            pattern=pattern,
            actor_id=worker.pk,
            person_id=person.pk,
            bucket=bucket,
            outcome=outcome,
            comment=comment,
        )
        made += 1
    samples = sampling.sample_draw(actor=reviewer, month=sampling.previous_month())
    return {"reads": len(read), "reviews": made, "samples": len(samples)}
