import datetime

import pytest

from kinsight.cases.models import LegalReference
from kinsight.detection.models import DeadlineRule, add_months


def test_it_adds_calendar_months_and_keeps_to_the_months_last_day():
    assert add_months(datetime.date(2025, 1, 15), 4) == datetime.date(2025, 5, 15)
    assert add_months(datetime.date(2025, 10, 31), 4) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 12, 1), 1) == datetime.date(2025, 1, 1)


@pytest.mark.django_db
def test_it_seeds_the_clocks_as_data_with_their_legal_references():
    pre = DeadlineRule.objects.get(code=DeadlineRule.PRE_ASSESSMENT)
    investigation = DeadlineRule.objects.get(code=DeadlineRule.INVESTIGATION)
    assert pre.due(datetime.date(2025, 9, 1)) == datetime.date(2025, 9, 15)
    assert investigation.due(datetime.date(2025, 9, 1)) == datetime.date(2026, 1, 1)
    for rule in (pre, investigation):
        assert LegalReference.objects.filter(topic=rule.legal_topic).count() == 2
        [current] = rule.legal_references(on=datetime.date(2025, 9, 1))
        assert current.law == "SFS 2025:400"
