"""Issue 12 in a real browser, the leaders' notes on a cycle: the leader opens the
cycle, starts a note, writes it (autosaved), signs it and finds it on the cycle page;
and records a teenager's own consent to measurement on its page. Every page visited
must pass axe-core without serious or critical violations."""

import pytest
from playwright.sync_api import expect

from kinsight.groups import services
from kinsight.groups.models import CycleNote, GroupParticipant
from tests.browser.conftest import assert_accessible, login
from tests.browser.test_groups_leader import running  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_writes_and_signs_a_note_on_the_cycle(new_context, app_url, running):  # noqa: F811
    leader, device, participant = running
    page = new_context().new_page()
    login(page, app_url, leader, device)
    page.goto(f"{app_url}/stodgrupper/omgangar/{participant.cycle_id}/")
    notes = page.get_by_role("region", name="Anteckningar om gruppomgången")
    expect(notes).to_contain_text("Inga anteckningar ännu.")
    notes.get_by_role("button", name="Skriv anteckning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anteckning om gruppomgången")
    assert_accessible(page)
    page.get_by_label("Anteckning om gruppomgången").fill("Gruppen kommer igång; fler pauser.")
    page.get_by_role("button", name="Signera").click()
    expect(page.locator(".messages")).to_contain_text("Anteckningen är signerad och låst.")
    expect(notes).to_contain_text("Gruppen kommer igång; fler pauser.")
    expect(notes).to_contain_text("Signerat av")
    assert_accessible(page)
    note = CycleNote.objects.get()
    assert note.is_signed and note.author == leader


def test_a_leader_records_a_teenagers_own_consent(new_context, app_url, running):  # noqa: F811
    leader, device, participant = running
    teen = services.participant_add(
        actor=leader,
        cycle=participant.cycle,
        age_band="13-16",
        intake="self",
        measurement_consent=True,
    )
    page = new_context().new_page()
    login(page, app_url, leader, device)
    page.goto(f"{app_url}/stodgrupper/omgangar/{participant.cycle_id}/")
    expect(page.get_by_text("Barnets eget samtycke till mätning saknas")).to_be_visible()
    page.get_by_role("link", name=f"Samtycke {teen}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("samtycke till mätning")
    assert_accessible(page)
    page.get_by_label("Barnets eget samtycke till mätning").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Samtycket är registrerat.")
    assert GroupParticipant.objects.get(pk=teen.pk).own_consent
