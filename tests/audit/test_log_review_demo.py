"""The demo's log review: a hit of each pattern that does not depend on the clock, two
reviews and last month's samples."""

import pytest

from kinsight.audit import patterns
from kinsight.audit.models import LogReview, LogSample
from kinsight.core.models import Role, UnitType
from kinsight.demo.generate.log_review import generate_log_review
from tests import factories
from tests.people import factories as pf

pytestmark = pytest.mark.django_db


def test_the_demo_has_hits_reviews_and_samples(settings, municipality, org, addiction_unit):
    settings.KINSIGHT_LOG_REVIEW_MANY_PERSONS = 3
    staff = (
        ("Hanna", "Handläggare", Role.CASE_WORKER, addiction_unit),
        ("Lova", "Loggranskare", Role.LOG_REVIEWER, org["board"]),
        ("Elin", "Enhetschef", Role.UNIT_MANAGER, addiction_unit),
    )
    for first, last, role, unit in staff:
        factories.staff(municipality, role=role, unit=unit, first_name=first, last_name=last)
    for number in range(3):
        pf.case(pf.person(municipality, f"Klient{number}", "Berg"), addiction_unit)
    pf.case(pf.person(municipality, "Barn", "Ström"), org["units"][UnitType.CHILDREN_YOUTH])
    made = generate_log_review(municipality)
    assert made == {"reads": 7, "reviews": 2, "samples": len(org["units"])}
    first, last = patterns.default_period()
    window = patterns.Window.days(municipality.pk, first, last)
    found = {p.key for p in patterns.all_patterns() if patterns.find(p, window)}
    assert {"many_persons", "protected", "outside_units", "colleague", "same_surname"} <= found
    assert LogReview.objects.count() == 2
    assert LogSample.objects.count() == len(org["units"])
