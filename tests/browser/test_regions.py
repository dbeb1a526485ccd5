"""The regional network in a real browser, each page through axe-core: the head of
services publishes last year's concern reports to the region (small counts hidden),
the network leader compares the members, the head of services withdraws the figures
with a reason, and the network leader sees them withdrawn."""

import datetime

import pytest
from playwright.sync_api import expect

from kinsight.core.models import Role, User
from kinsight.regions.models import Member, Region, RegionStaff
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.followup.figures_factories import small_and_large

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "Orosanmälningar: förhandsbedömning, utredning och återkoppling i tid"


@pytest.fixture
def people(municipality, org):
    region = Region.objects.create(name="Sydöstra kommunalförbundet", code="sydost")
    Member.objects.create(
        region=region, municipality=municipality, joined_on=datetime.date(2020, 1, 1)
    )
    head = factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["administration"], username="ifochef"
    )
    leader = User.objects.create(username="natverksledare", first_name="Nils", last_name="Nät")
    leader.set_password(factories.PASSWORD)
    leader.save()
    RegionStaff.objects.create(region=region, user=leader)
    small_and_large(org, org["units"]["children_youth"])
    return {
        "head": (head, factories.totp_device(head)),
        "leader": (leader, factories.totp_device(leader)),
    }


def test_publish_compare_and_withdraw(new_context, app_url, people):
    year = str(datetime.date.today().year - 1)
    heads = new_context().new_page()
    login(heads, app_url, *people["head"], check=assert_accessible)
    heads.get_by_role("link", name="Publicera till regionen").click()
    expect(heads.get_by_role("heading", level=1)).to_have_text("Publicera till regionen")
    assert_accessible(heads)
    heads.get_by_label("Nyckeltal").select_option(label=TITLE)
    heads.get_by_label("Periodtyp").select_option("year")
    heads.get_by_label("En dag i perioden").fill(f"{year}-06-01")
    heads.get_by_role("button", name="Publicera").click()
    expect(heads.get_by_role("status")).to_contain_text(
        "är publicerat till Sydöstra kommunalförbundet"
    )
    expect(heads.get_by_role("cell", name="<5").first).to_be_visible()
    assert_accessible(heads)

    leaders = new_context().new_page()
    login(leaders, app_url, *people["leader"], check=assert_accessible)
    leaders.get_by_role("link", name="Jämförelse").click()
    expect(leaders.get_by_role("heading", level=1)).to_have_text("Jämförelse mellan medlemmar")
    expect(leaders.get_by_role("rowheader", name="Testkommun").first).to_be_visible()
    expect(leaders.get_by_role("cell", name="<5").first).to_be_visible()
    assert_accessible(leaders)

    heads.get_by_label("Skäl").fill("Fel enhet räknades med.")
    heads.get_by_role("button", name="Återkalla").click()
    expect(heads.get_by_role("status")).to_contain_text("Siffrorna är återkallade.")
    assert_accessible(heads)

    leaders.get_by_role("link", name="Publicerat").click()
    expect(leaders.get_by_text(f"Återkallat {datetime.date.today():%Y-%m-%d}")).to_be_visible()
    assert_accessible(leaders)
    leaders.get_by_role("link", name="Jämförelse").click()
    expect(
        leaders.get_by_text("Inga medlemmar har publicerat några nyckeltal ännu.")
    ).to_be_visible()
