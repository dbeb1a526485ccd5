"""The network's work in a real browser, each page through axe-core: the network
leader plans a meeting, shares a file and writes the minutes, opens an inventory; a
member's head of services answers it; the leader reads the compilation and adds a
course to the offer."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.browser.test_regions import people  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n%demo\n"


def test_plan_a_meeting_share_a_file_and_run_the_inventory_to_an_offer(
    new_context, app_url, request, tmp_path
):
    users = request.getfixturevalue("people")  # the regions test's: region, leader, head
    today = datetime.date.today()
    leaders = new_context().new_page()
    login(leaders, app_url, *users["leader"], check=assert_accessible)
    leaders.get_by_role("link", name="Nätverksmöten").click()
    assert_accessible(leaders)
    leaders.get_by_label("Rubrik").fill("Vårmöte")
    leaders.get_by_label("Datum").fill(f"{today.year}-03-10")
    leaders.get_by_label("Börjar").fill("09:00")
    leaders.get_by_label("Slutar").fill("12:00")
    leaders.get_by_label("Plats").fill("Förbundets lokaler")
    leaders.get_by_label("Dagordning").fill("1. Inventeringen")
    leaders.get_by_role("button", name="Lägg in mötet").click()
    expect(leaders.get_by_role("heading", level=1)).to_contain_text("Vårmöte")
    assert_accessible(leaders)
    slides = tmp_path / "bilder.pdf"
    slides.write_bytes(PDF)
    leaders.get_by_label("Fil").set_input_files(str(slides))
    leaders.get_by_role("button", name="Ladda upp").click()
    expect(leaders.get_by_role("link", name="bilder.pdf")).to_be_visible()
    leaders.get_by_role("link", name="Skriv minnesanteckningar").click()
    assert_accessible(leaders)
    leaders.get_by_label("Minnesanteckningar").fill("Vi jämförde miniminivån.")
    leaders.get_by_label("Antecknade av (namn)").fill("Nils Nät")
    leaders.get_by_role("button", name="Spara").click()
    expect(leaders.get_by_text("Antecknade av Nils Nät.")).to_be_visible()
    assert_accessible(leaders)

    leaders.get_by_role("link", name="Kompetensinventering").click()
    leaders.get_by_label("År").fill(str(today.year + 1))
    deadline = today + datetime.timedelta(days=10)
    leaders.get_by_label("Sista svarsdag").fill(deadline.isoformat())
    leaders.get_by_role("button", name="Öppna inventeringen").click()
    expect(leaders.get_by_role("heading", level=1)).to_have_text(
        f"Kompetensinventering {today.year + 1}"
    )
    assert_accessible(leaders)

    heads = new_context().new_page()
    login(heads, app_url, *users["head"], check=assert_accessible)
    heads.get_by_role("link", name=f"Inventeringen {today.year + 1}: svara senast").click()
    heads.get_by_label("Område").select_option("Missbruk")
    heads.get_by_label("Behov").fill("MI-fördjupning")
    heads.get_by_label("Antal medarbetare").fill("6")
    heads.get_by_role("button", name="Spara svaret").click()
    expect(heads.get_by_role("cell", name="MI-fördjupning")).to_be_visible()
    assert_accessible(heads)

    leaders.reload()
    expect(leaders.get_by_role("cell", name="1 / 3")).to_be_visible()
    form = leaders.locator("form", has=leaders.get_by_role("button", name="Lägg till kursen"))
    form.get_by_label("Område").select_option("Missbruk")
    form.get_by_label("Kurs").fill("MI-fördjupning")
    starts = today + datetime.timedelta(days=60)
    form.get_by_label("Första dag").fill(starts.isoformat())
    form.get_by_label("Sista dag").fill(starts.isoformat())
    form.get_by_label("Antal platser").fill("20")
    form.get_by_label("Minsta antal deltagare").fill("8")
    form.get_by_label("Kostnad (kr)").fill("3000")
    form.get_by_label("Beslutsdag").fill((today + datetime.timedelta(days=30)).isoformat())
    form.get_by_role("button", name="Lägg till kursen").click()
    expect(leaders.get_by_role("rowheader", name="MI-fördjupning")).to_be_visible()
    assert_accessible(leaders)
