"""The head of services' start page in a real browser: 'Behöver uppmärksamhet' is
axe-clean and its links lead to the figures (overdue reports) and the minimum level of
the unit with the lowest share last month."""

import datetime

import pytest
from playwright.sync_api import expect

from kinsight.core.models import Role, UnitType
from kinsight.followup.minimum_level import add_months, month_start
from kinsight.followup.models import MinimumLevelMonth
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.followup.factories import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def head(municipality, org):
    made = factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["administration"], username="ifochef"
    )
    units = org["units"]
    report(units[UnitType.CHILDREN_YOUTH], due_in=-3)
    month = add_months(month_start(datetime.date.today()), -1)
    for unit_type, attended in ((UnitType.FAMILIES, 2), (UnitType.ADULTS_ADDICTION, 9)):
        MinimumLevelMonth.objects.create(
            municipality=municipality,
            unit=units[unit_type],
            month=month,
            children=10,
            attended=attended,
        )
    return made, factories.totp_device(made)


def test_the_head_of_services_follows_the_attention_links(page, app_url, head):
    user, device = head
    login(page, app_url, user, device, check=assert_accessible)
    panel = page.get_by_role("region", name="Behöver uppmärksamhet")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link", name="1 orosanmälan med passerad frist")).to_be_visible()
    panel.get_by_role("link", name="Familjer Norr").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Miniminivå")
    assert "?unit=" in page.url
    page.go_back()
    page.get_by_role("link", name="1 orosanmälan med passerad frist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nyckeltal")
    assert_accessible(page)
