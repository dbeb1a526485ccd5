"""Issue 4 in a real browser: a case worker of the addiction unit finds nobody, registers
a person with protected identity, adds the family around them, opens a case and keeps a
journal (autosaved draft, signature, correction); a worker of another unit gets 404 on
the same pages. Every page a test visits must pass axe-core without serious or critical
violations."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from kinsight.audit.models import AuditEntry
from kinsight.cases.models import JournalNote
from kinsight.core.models import Role, UnitType
from kinsight.people.models import Person
from tests import factories
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STREET = "Hemliga gränd 7"
POSTAL_CODE = "98765"
CITY = "Gömstad"
NOTE_TEXT = "Första samtalet med Sara. Hon vill ha stöd att minska sitt drickande."
CORRECTION_TEXT = "Rättelse: samtalet hölls per telefon, inte på kontoret."


def personnummer(birth, serial, *, wrong_check_digit=False):
    """YYMMDD-NNNC with the Luhn check digit computed here, independently of the app."""
    nine = f"{birth:%y%m%d}{serial:03d}"
    total = 0
    for index, char in enumerate(nine):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    check = (10 - total % 10) % 10
    if wrong_check_digit:
        check = (check + 1) % 10
    return f"{nine[:6]}-{nine[6:]}{check}"


def years_ago(years, month=4, day=12):
    today = datetime.date.today()
    return datetime.date(today.year - years, month, day)


@pytest.fixture
def addiction_worker(municipality, org):
    """A case worker (socialsekreterare) of the adult addiction unit, with an authenticator."""
    user = factories.staff(
        municipality,
        role=Role.CASE_WORKER,
        unit=org["units"][UnitType.ADULTS_ADDICTION],
        username="maria.m",
        first_name="Maria",
        last_name="Missbruksson",
    )
    return user, factories.totp_device(user)


@pytest.fixture
def children_worker(municipality, org):
    """A case worker of the children and youth unit: no case for anyone here."""
    user = factories.staff(
        municipality,
        role=Role.CASE_WORKER,
        unit=org["units"][UnitType.CHILDREN_YOUTH],
        username="bo.b",
        first_name="Bo",
        last_name="Barnsson",
    )
    return user, factories.totp_device(user)


def id_from_url(page, pattern):
    """The primary key in the page's address, once the browser is there."""
    expect(page).to_have_url(re.compile(pattern))
    return re.search(pattern, page.url)[1]


def search(page, text):
    """Type in the person search and wait for htmx to show the results for it."""
    # htmx binds its listeners when the page has loaded; typing earlier sends nothing.
    page.wait_for_load_state("load")
    before = page.url
    page.get_by_role("searchbox", name="Namn, personnummer").fill(text)
    # The term is posted; the address names the search by a key, never by the term.
    expect(page).not_to_have_url(before)
    expect(page).to_have_url(re.compile(r"/personer/\?s=[\w-]+$"))
    assert text.split()[0].lower() not in page.url.lower()
    return page.locator("#person-results")


def fill_person(page, *, kind="Personnummer", number="", first, last="", age=None):
    page.get_by_label("Typ av identitet").select_option(label=kind)
    if number:
        page.get_by_label("Nummer", exact=True).fill(number)
    page.get_by_label("Förnamn").fill(first)
    if last:
        page.get_by_label("Efternamn").fill(last)
    if age is not None:
        page.get_by_label("Ungefärlig ålder (år)").fill(str(age))


def add_family_member(page, person_url, *, relation, guardian=False, living=None, **fields):
    page.get_by_role("link", name="Lägg till i familjen").click()
    expect(page).to_have_url(f"{person_url}familj/ny/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lägg till i familjen runt Sara Skydd"
    )
    page.get_by_role("combobox", name="Relation", exact=True).select_option(label=relation)
    if guardian:
        page.get_by_label("Vårdnadshavare").check()
    if living:
        page.get_by_label("Boende").select_option(label=living)
    fill_person(page, **fields)
    page.get_by_role("button", name="Spara").click()
    expect(page).to_have_url(person_url)
    expect(page.get_by_role("status")).to_contain_text(
        f"{fields['first']} {fields['last']} är tillagd i familjen runt Sara Skydd."
    )


def test_a_case_worker_registers_a_protected_person_with_family_and_keeps_a_journal(
    page, new_context, app_url, addiction_worker, children_worker
):
    worker, device = addiction_worker
    login(page, app_url, worker, device)
    assert_accessible(page)

    # Search: nobody by that name among the persons the unit works with.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Sök person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sök person")
    assert_accessible(page)
    results = search(page, "Skydd")
    expect(results).to_contain_text("Ingen person hittades bland dem du får se.")
    assert_accessible(page)

    # Register her with a personnummer, protected identity and an address.
    page.get_by_role("link", name="Registrera person").click()
    expect(page).to_have_url(f"{app_url}/personer/ny/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera person")
    assert_accessible(page)
    number = personnummer(years_ago(41, 7, 23), 382)
    fill_person(page, number=number, first="Sara", last="Skydd")
    page.get_by_label("Skyddade personuppgifter").check()
    page.get_by_label("Gatuadress").fill(STREET)
    page.get_by_label("Postnummer").fill(POSTAL_CODE)
    page.get_by_label("Ort").fill(CITY)
    page.get_by_role("button", name="Spara").click()

    person_id = id_from_url(page, r"/personer/(\d+)/$")
    person_url = f"{app_url}/personer/{person_id}/"
    expect(page.get_by_role("status")).to_contain_text("Sara Skydd är registrerad.")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Sara Skydd")
    expect(heading).to_contain_text("Skyddade personuppgifter")
    expect(page.locator("dl.facts")).to_contain_text("Skyddad – visas inte")
    for secret in (STREET, POSTAL_CODE, CITY):
        expect(page.locator("body")).not_to_contain_text(secret)
    assert_accessible(page)

    # The family: two children (one without a number yet) and a partner.
    add_family_member(
        page,
        person_url,
        relation="Barn till personen",
        guardian=True,
        living="Bor tillsammans heltid",
        number=personnummer(years_ago(9, 2, 14), 245),
        first="Elsa",
        last="Skydd",
    )
    assert_accessible(page)
    add_family_member(
        page,
        person_url,
        relation="Barn till personen",
        kind="Saknas (namn och ungefärlig ålder)",
        first="Lo",
        last="Skydd",
        age=4,
    )
    add_family_member(
        page,
        person_url,
        relation="Partner",
        number=personnummer(years_ago(44, 11, 3), 517),
        first="Erik",
        last="Eriksson",
    )
    family = page.get_by_role("region", name="Familjen runt personen")
    children = family.get_by_role("row").filter(
        has=page.get_by_role("cell", name="Barn", exact=True)
    )
    expect(children).to_have_count(2)
    expect(children.filter(has_text="Elsa Skydd")).to_contain_text("9 år")
    expect(children.filter(has_text="Lo Skydd")).to_contain_text("cirka 4 år")
    partner = family.get_by_role("row").filter(has=page.get_by_role("cell", name="Partner"))
    expect(partner).to_contain_text("Erik Eriksson")
    expect(family.get_by_role("row").filter(has_text="Bor hos personen (heltid)")).to_contain_text(
        "Elsa Skydd"
    )
    assert_accessible(page)

    # Search lists her now, with the marker and without the address.
    page.get_by_role("link", name="Sök person").click()
    results = search(page, "sara skydd")
    row = results.get_by_role("row").filter(has=page.get_by_role("link", name="Sara Skydd"))
    expect(row).to_contain_text("Skyddade personuppgifter")
    expect(results).not_to_contain_text(STREET)
    assert_accessible(page)
    row.get_by_role("link", name="Sara Skydd").click()
    expect(page).to_have_url(person_url)

    # A case in her unit.
    page.get_by_role("link", name="Öppna ärende").click()
    expect(page).to_have_url(f"{person_url}arenden/nytt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Öppna ärende för Sara Skydd")
    assert_accessible(page)
    page.get_by_label("Enhet").select_option(label="Vuxna (missbruk och beroende) Norr")
    page.get_by_label("Ärendemening").fill("Stöd vid alkoholberoende")
    page.get_by_role("button", name="Spara").click()
    expect(page).to_have_url(re.compile(r"/arenden/\d+/$"))
    case_id = id_from_url(page, r"/arenden/(\d+)/$")
    case_url = f"{app_url}/arenden/{case_id}/"
    expect(page.get_by_role("status")).to_contain_text("Ärendet är öppnat.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stöd vid alkoholberoende")
    expect(page.locator("dl.facts")).to_contain_text("Maria Missbruksson")
    assert_accessible(page)

    # The case page from the person page.
    page.get_by_role("link", name="Sara Skydd").click()
    expect(page).to_have_url(person_url)
    page.get_by_role("region", name="Ärenden").get_by_role(
        "link", name="Stöd vid alkoholberoende"
    ).click()
    expect(page).to_have_url(case_url)
    expect(page.get_by_role("region", name="Journal")).to_contain_text("Inga anteckningar ännu.")

    # A journal note: written, autosaved, still there after a reload.
    page.get_by_role("button", name="Ny anteckning").click()
    note_id = id_from_url(page, r"/anteckningar/(\d+)/$")
    note_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Journalanteckning – Stöd vid alkoholberoende"
    )
    assert_accessible(page)
    page.wait_for_load_state("load")  # autosave (htmx) listens from load on
    page.get_by_role("textbox", name="Anteckning", exact=True).fill(NOTE_TEXT)
    expect(page.locator("#autosave-status .saved")).to_contain_text(
        "Utkastet sparades", timeout=15_000
    )
    assert_accessible(page)
    page.reload()
    expect(page.get_by_role("textbox", name="Anteckning", exact=True)).to_have_value(NOTE_TEXT)
    expect(page.get_by_role("status")).to_contain_text("Senast sparat")
    expect(page.get_by_role("button", name="Återställ den texten")).to_be_hidden()
    assert_accessible(page)

    # Signed: locked, with who signed.
    page.get_by_role("button", name="Signera och lås").click()
    expect(page).to_have_url(case_url)
    expect(page.get_by_role("status")).to_contain_text("Anteckningen är signerad och låst.")
    original = page.locator(f"#note-{note_id}")
    expect(original).to_contain_text(NOTE_TEXT)
    expect(original).to_contain_text("Signerad av Maria Missbruksson")
    expect(original).not_to_contain_text("Utkast")
    assert_accessible(page)

    # A correction linked to the signed note. Typed and signed at once, as people do:
    # the autosave on leaving the text box must not make the signature a stale edit.
    original.get_by_role("button", name="Skriv rättelse").click()
    correction_id = id_from_url(page, r"/anteckningar/(\d+)/$")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rättelse – Stöd vid alkoholberoende")
    expect(page.get_by_role("region", name="Rättar anteckningen signerad")).to_contain_text(
        NOTE_TEXT
    )
    assert_accessible(page)
    page.wait_for_load_state("load")  # autosave (htmx) listens from load on
    page.get_by_role("textbox", name="Anteckning", exact=True).fill(CORRECTION_TEXT)
    page.get_by_role("button", name="Signera och lås").click()
    expect(page).to_have_url(case_url)
    expect(page.get_by_role("status")).to_contain_text("Anteckningen är signerad och låst.")
    fixed = page.locator(f"#note-{correction_id}")
    expect(fixed.get_by_role("heading", level=3)).to_contain_text("Rättelse")
    expect(fixed).to_contain_text(CORRECTION_TEXT)
    expect(fixed).to_contain_text("Signerad av Maria Missbruksson")
    expect(fixed.get_by_role("link", name="anteckningen från")).to_have_attribute(
        "href", f"#note-{note_id}"
    )
    expect(original).to_contain_text(NOTE_TEXT)
    expect(original.locator(f'a[href="#note-{correction_id}"]')).to_have_count(1)
    assert_accessible(page)

    # A worker of the children's unit has no case for her: 404 everywhere, no search hit.
    other = new_context().new_page()
    other_user, other_device = children_worker
    login(other, app_url, other_user, other_device)
    for url in (person_url, case_url, note_url):
        response = other.goto(url)
        assert response.status == 404, url
        expect(other.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
        expect(other.locator("body")).not_to_contain_text("Sara")
    assert_accessible(other)
    other.goto(f"{app_url}/personer/")
    results = search(other, "Skydd")
    expect(results).to_contain_text("Ingen person hittades bland dem du får se.")
    assert_accessible(other)

    # Every read and write of hers is in the audit log.
    logged = AuditEntry.objects.filter(actor=worker)
    assert logged.filter(action="create", object_type="people.person", object_id=person_id)
    assert logged.filter(action="read", object_type="people.person", object_id=person_id)
    assert logged.filter(action="create", object_type="people.relationship").count() >= 4
    assert logged.filter(action="create", object_type="cases.case", object_id=case_id)
    assert logged.filter(action="read", object_type="cases.case", object_id=case_id)
    for written in (note_id, correction_id):
        assert logged.filter(action="create", object_type="cases.journalnote", object_id=written)
        assert logged.filter(action="update", object_type="cases.journalnote", object_id=written)
    assert not AuditEntry.objects.filter(actor=other_user, object_id=person_id)
    correction = JournalNote.objects.get(pk=correction_id)
    assert str(correction.corrects_id) == note_id
    assert correction.signed_by == worker


def test_a_wrong_check_digit_is_refused_in_swedish_and_the_name_is_kept(
    page, app_url, addiction_worker
):
    worker, device = addiction_worker
    login(page, app_url, worker, device)
    page.goto(f"{app_url}/personer/ny/")
    fill_person(
        page,
        number=personnummer(years_ago(30), 123, wrong_check_digit=True),
        first="Nora",
        last="Felskriven",
    )
    page.get_by_role("button", name="Spara").click()

    expect(page).to_have_url(f"{app_url}/personer/ny/")
    number = page.get_by_label("Nummer", exact=True)
    expect(number).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_identifier_error")).to_contain_text(
        "Personnumret har fel kontrollsiffra (den sista siffran)."
    )
    expect(page.get_by_role("alert")).to_contain_text("Nummer: Personnumret har fel kontrollsiffra")
    expect(page.get_by_label("Förnamn")).to_have_value("Nora")
    expect(page.get_by_label("Efternamn")).to_have_value("Felskriven")
    assert_accessible(page)
    assert not Person.objects.filter(last_name="Felskriven").exists()
