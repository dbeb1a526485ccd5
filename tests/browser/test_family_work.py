"""Issue 6 in a real browser, across three units: the addiction unit's worker starts
family work from Anna's case and coordinates it; the children-and-youth unit (Kim's
case) and economic assistance (Per's case) take part and link their cases. The
coordinator records every member's consent to sharing (Kim's by his guardian), holds a
family meeting and signs the minutes; the adult unit writes Anna's perspective while
the children's unit writes Kim's; the plan gets a goal per perspective and two
interventions from the catalogue; Kim is referred to a support group once the consent
for referral is there; the PDF of the assessment is read back as text. Then Anna
withdraws her consent and economic assistance loses her at once: her name, her part
of the assessment, the minutes and the plan (404 or "Delas inte – samtycke saknas").
Every page visited must pass axe-core without serious or critical violations."""

import datetime
import re
import zlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kinsight.audit.models import AuditEntry
from kinsight.core.models import Role, UnitType
from kinsight.family.models import Consent, FamilyWork
from kinsight.interventions import services as intervention_services
from kinsight.interventions.models import Referral, ReferralStatus
from kinsight.people.models import RelationKind
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.people import factories as pf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADULT_UNIT = "Vuxna (missbruk och beroende) Norr"
CHILD_UNIT = "Barn och ungdom Norr"
ECON_UNIT = "Ekonomiskt bistånd Norr"
NOT_FOUND = "Sidan finns inte"
NO_CONSENT = "Delas inte – samtycke saknas"
SUPPORT_GROUP = "Stödgrupp för barn som anhöriga"
PARENT_SUPPORT = "Föräldraskapsstöd"

ANNA_NEEDS = "Behandling för alkoholberoende och stöd i föräldraskapet."
ANNA_VIEW = "Anna vill att familjen får prata om det som händer hemma."
KIM_NEEDS = "Kim behöver träffa andra barn i samma situation."
KIM_WORDS = "Jag vill att mamma mår bra och att vi kan vara hemma tillsammans."
TITLE = "Samordnat arbete Norr"  # no names: every participating unit sees the title
MINUTES = "Familjen och enheterna kom överens om en gemensam plan. Kim får gå i stödgrupp."


# --- reading the PDF back ---------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text of a WeasyPrint PDF, without external tools: inflate the streams (object
    streams included), map each font's glyph ids through its ToUnicode CMap and decode
    the TJ/Tj strings of the page contents in order."""
    bodies, streams = {}, {}
    for found in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S):
        number, body = int(found[1]), found[2]
        stream = re.search(rb"stream\r?\n(.*)\r?\nendstream", body, re.S)
        if not stream:
            bodies[number] = body
            continue
        head, raw = body[: stream.start()], stream[1]
        if b"/FlateDecode" in head:
            raw = zlib.decompressobj().decompress(raw)
        bodies[number], streams[number] = head, raw
        if b"/ObjStm" in head:
            first = int(re.search(rb"/First (\d+)", head)[1])
            numbers = [int(n) for n in raw[:first].split()]
            pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
            for index, (inner, offset) in enumerate(pairs):
                end = pairs[index + 1][1] if index + 1 < len(pairs) else len(raw) - first
                bodies[inner] = raw[first + offset : first + end]

    def cmap(stream):
        mapping = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                mapping[src.decode().lower()] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
            for low, high, dst in re.findall(
                rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
            ):
                start = int(dst, 16)
                for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    mapping[f"{code:0{len(low)}x}"] = chr(start + offset)
        return mapping

    fonts = {
        number: cmap(streams[int(m[1])])
        for number, body in bodies.items()
        if b"/Font" in body and (m := re.search(rb"/ToUnicode (\d+) 0 R", body))
    }
    names = {}
    for body in bodies.values():
        for name, ref in re.findall(rb"/([A-Za-z0-9_.+-]+) (\d+) 0 R", body):
            if int(ref) in fonts:
                names[name.decode()] = fonts[int(ref)]
    pieces = []
    for raw in streams.values():
        if b"BT" not in raw or b" Tf" not in raw:
            continue
        current = {}
        for token in re.finditer(
            rb"/(\S+) [\d.]+ Tf|\[(.*?)\] ?TJ|<([0-9a-fA-F]*)> ?Tj", raw, re.S
        ):
            if token[1]:
                current = names.get(token[1].decode(), {})
                continue
            hexes = re.findall(rb"<([0-9a-fA-F]*)>", token[2]) if token[2] else [token[3]]
            text = "".join(
                current.get(h[i : i + 4].decode().lower(), "")
                for h in hexes
                for i in range(0, len(h), 4)
            )
            pieces.append(text)
    return re.sub(r"\s+", " ", " ".join(pieces))


# --- the family and the units -----------------------------------------------------


def staff_with_device(municipality, unit, **fields):
    user = factories.staff(municipality, role=Role.CASE_WORKER, unit=unit, **fields)
    return user, factories.totp_device(user)


@pytest.fixture
def setting(municipality, org):
    units = org["units"]
    adult, child, econ = (
        units[UnitType.ADULTS_ADDICTION],
        units[UnitType.CHILDREN_YOUTH],
        units[UnitType.ECONOMIC_ASSISTANCE],
    )
    maria = staff_with_device(
        municipality, adult, username="maria.m", first_name="Maria", last_name="Missbruksson"
    )
    bo = staff_with_device(
        municipality, child, username="bo.b", first_name="Bo", last_name="Barnsson"
    )
    eva = staff_with_device(
        municipality, econ, username="eva.e", first_name="Eva", last_name="Ekonomsson"
    )
    anna = pf.person(municipality, "Anna", "Åberg", birth_date=datetime.date(1985, 3, 12))
    per = pf.person(municipality, "Per", "Persson", birth_date=datetime.date(1980, 5, 5))
    kim = pf.child(municipality, "Kim", "Åberg", age=13)
    pf.relate(anna, kim, RelationKind.PARENT)
    pf.relate(anna, kim, RelationKind.GUARDIAN)
    pf.relate(kim, anna, RelationKind.LIVES_WITH_FULL)
    pf.relate(anna, per, RelationKind.PARTNER)
    pf.relate(per, kim, RelationKind.PARENT)
    pf.relate(per, kim, RelationKind.GUARDIAN)
    anna_case = pf.case(anna, adult, responsible=maria[0], subject="Stöd vid alkoholberoende")
    pf.case(kim, child, responsible=bo[0], subject="Utredning Kim")
    pf.case(per, econ, responsible=eva[0], subject="Försörjningsstöd")
    # The catalogue with the seed's examples (migration 0002 does this for the
    # municipalities that exist when it runs; this one is made later).
    intervention_services.examples_add(actor=None, municipality=municipality)
    return {
        "maria": maria,
        "bo": bo,
        "eva": eva,
        "anna": anna,
        "per": per,
        "kim": kim,
        "anna_case": anna_case,
    }


# --- helpers ----------------------------------------------------------------------


def exactly(label):
    """A label as it is, or with the required-field asterisk after it."""
    return re.compile(rf"^{re.escape(label)}( \*)?$")


def choose_starting(select, prefix):
    """Select the one option whose text starts with ``prefix``."""
    options = select.locator("option").all_text_contents()
    matching = [text for text in options if text.startswith(prefix)]
    assert len(matching) == 1, (prefix, options)
    select.select_option(label=matching[0])


def message(page):
    return page.locator(".messages")


def goto_ok(page, url):
    response = page.goto(url)
    assert response.status == 200, (url, response.status)
    assert_accessible(page)


def save(page, name="Spara"):
    page.get_by_role("button", name=name, exact=True).click()


def region(page, name):
    return page.get_by_role("region", name=name, exact=True)


def record_consent(page, person, *, purpose=None, units=None, given_by=None, view=None):
    page.get_by_role("link", name="Registrera samtycke").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera samtycke")
    assert_accessible(page)
    page.get_by_label("Samtycket gäller").select_option(label=person)
    if purpose:
        page.get_by_label("Ändamål").select_option(label=purpose)
    if units:
        for unit in units:
            page.get_by_role("checkbox", name=unit, exact=True).check()
    else:
        page.get_by_label("Alla deltagande enheter (även de som ansluter senare)").check()
    page.get_by_label(exactly("Form")).select_option(label="Skriftligt")
    if given_by:
        page.get_by_label("Lämnat av vårdnadshavare").select_option(label=given_by)
    if view:
        page.get_by_label("Barnets egen uppfattning").select_option(label=view[0])
        page.get_by_label("Barnets egna ord").fill(view[1])
    save(page)
    expect(message(page)).to_contain_text("Samtycket är registrerat.")
    assert_accessible(page)


def test_three_units_work_with_one_family_under_consent_and_lose_it_when_withdrawn(
    page, new_context, app_url, setting
):
    today = f"{timezone.localdate():%Y-%m-%d}"
    maria, eva_user = setting["maria"][0], setting["eva"][0]
    anna, kim = setting["anna"], setting["kim"]

    # --- The addiction unit starts family work from Anna's case ---------------------
    login(page, app_url, *setting["maria"], check=assert_accessible)
    assert_accessible(page)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Mina ärenden"
    ).click()
    expect(page).to_have_url(f"{app_url}/arenden/mina/")
    assert_accessible(page)
    page.get_by_role("link", name="Stöd vid alkoholberoende").click()
    expect(page).to_have_url(f"{app_url}/arenden/{setting['anna_case'].pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Starta familjeärende").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Starta familjeärende från Stöd vid alkoholberoende"
    )
    expect(page.get_by_label("Benämning")).to_have_value(f"Familjeärende – {ADULT_UNIT}")
    page.get_by_label("Benämning").fill(TITLE)
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Anna Åberg, \d+ år")).select_option(label="Förälder 1")
    page.get_by_label(re.compile(r"^Per Persson, \d+ år")).select_option(label="Förälder 2")
    page.get_by_label("Kim Åberg, 13 år").select_option(label="Barn")
    save(page)
    expect(message(page)).to_contain_text("Familjeärendet är startat. Du är samordnare.")
    expect(page).to_have_url(re.compile(r"/familjearenden/\d+/$"))
    work_url = page.url
    work = FamilyWork.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("dl.facts")).to_contain_text(f"{ADULT_UNIT}, Maria Missbruksson")
    assert_accessible(page)

    # It adds the two other units, each with its contact worker.
    for unit, worker in ((CHILD_UNIT, "Bo Barnsson"), (ECON_UNIT, "Eva Ekonomsson")):
        region(page, "Deltagande enheter").get_by_role("link", name="Lägg till enhet").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Lägg till deltagande enhet")
        assert_accessible(page)
        page.get_by_label(exactly("Enhet")).select_option(label=unit)
        page.get_by_label("Kontaktperson").select_option(label=worker)
        save(page)
        expect(message(page)).to_contain_text(f"{unit} deltar nu.")
        assert_accessible(page)
    participants = region(page, "Deltagande enheter").get_by_role("row")
    expect(participants).to_have_count(4)
    expect(participants.filter(has_text=ADULT_UNIT)).to_contain_text("Samordnare")
    expect(participants.filter(has_text=CHILD_UNIT)).to_contain_text("Bo Barnsson")
    expect(participants.filter(has_text=ECON_UNIT)).to_contain_text("Eva Ekonomsson")

    # --- The other units link their own cases; without consent they see who to call --
    others = {}
    for key, case_label in (
        ("bo", "Kim Åberg – Utredning Kim"),
        ("eva", "Per Persson – Försörjningsstöd"),
    ):
        other = new_context().new_page()
        others[key] = other
        login(other, app_url, *setting[key], check=assert_accessible)
        other.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Familjeärenden"
        ).click()
        expect(other).to_have_url(f"{app_url}/familjearenden/")
        assert_accessible(other)
        other.get_by_role("link", name=TITLE).click()
        expect(other).to_have_url(work_url)
        expect(other.locator("dl.facts")).to_contain_text(f"{ADULT_UNIT}, Maria Missbruksson")
        members = region(other, "Familjen")
        expect(members).to_contain_text("2 familjemedlemmar visas inte")
        expect(members).not_to_contain_text("Anna")
        assert_accessible(other)
        other.get_by_role("link", name="Koppla din enhets ärende").click()
        expect(other).to_have_url(re.compile(r"/familjearenden/\d+/arenden/koppla/$"))
        assert_accessible(other)
        choose_starting(other.get_by_label("Ärende"), case_label)
        save(other)
        expect(message(other)).to_contain_text("Ärendet är kopplat.")
        expect(region(other, "Kopplade ärenden")).to_contain_text(case_label.split(" – ")[1])
        assert_accessible(other)
    bo, eva = others["bo"], others["eva"]

    # --- Consent to sharing, every member, all participating units -------------------
    page.reload()
    record_consent(page, "Anna Åberg")
    record_consent(page, "Per Persson")
    record_consent(
        page,
        "Kim Åberg",
        given_by="Anna Åberg",
        view=("Barnet instämmer", "Det är bra att alla pratar med varandra."),
    )
    consents = region(page, "Samtycken").get_by_role("row")
    expect(consents.filter(has_text="Informationsutbyte inom familjeärendet")).to_have_count(3)
    expect(consents.filter(has_text="Kim Åberg")).to_contain_text(
        "Lämnat av vårdnadshavare Anna Åberg"
    )
    expect(consents.filter(has_text="Kim Åberg")).to_contain_text("Barnet instämmer")

    # --- A family meeting with agenda, signed minutes and a follow-up ---------------
    region(page, "Familjemöten").get_by_role("link", name="Nytt familjemöte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt familjemöte")
    assert_accessible(page)
    page.get_by_label("Datum").fill(today)
    page.get_by_label("Plats").fill("Familjecentralen")
    page.get_by_label("Dagordning").fill("1. Hur har familjen det?\n2. Gemensam plan")
    for name in ("Anna Åberg", "Per Persson", "Kim Åberg"):
        page.get_by_role("checkbox", name=name, exact=True).check()
    for name in ("Maria Missbruksson", "Bo Barnsson", "Eva Ekonomsson"):
        page.get_by_role("checkbox", name=name, exact=True).check()
    page.get_by_label("Externa deltagare").fill("Skolkurator, Norrskolan")
    save(page)
    expect(message(page)).to_contain_text("Mötet är registrerat.")
    expect(page).to_have_url(re.compile(r"/familjearenden/moten/\d+/$"))
    meeting_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Familjemöte {today}")
    expect(region(page, "Deltagare")).to_contain_text("Skolkurator, Norrskolan")
    expect(region(page, "Deltagare")).to_contain_text(f"Bo Barnsson ({CHILD_UNIT})")
    expect(region(page, "Dagordning")).to_contain_text("Gemensam plan")
    assert_accessible(page)
    page.get_by_role("button", name="Skriv protokoll").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protokoll")
    assert_accessible(page)
    page.get_by_label("Protokoll").fill(MINUTES)
    save(page, "Signera")
    expect(page).to_have_url(meeting_url)
    expect(message(page)).to_contain_text("Protokollet är signerat och låst.")
    minutes = region(page, "Protokoll")
    expect(minutes).to_contain_text(MINUTES)
    expect(minutes).to_contain_text("Signerat av Maria Missbruksson")
    expect(minutes.get_by_role("button", name="Skriv rättelse")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Ny uppföljningsuppgift").click()
    expect(page).to_have_url(re.compile(r"/familjearenden/\d+/uppgifter/ny/"))
    assert_accessible(page)
    page.get_by_label("Uppgift").fill("Anmäl Kim till stödgruppen")
    page.get_by_label("Beslut").fill("Kim erbjuds stödgrupp för barn som anhöriga.")
    page.get_by_label("Klart senast").fill(today)
    page.get_by_label("Ansvarig enhet").select_option(label=CHILD_UNIT)
    page.get_by_label(exactly("Ansvarig")).select_option(label="Bo Barnsson")
    save(page)
    expect(page).to_have_url(meeting_url)
    expect(message(page)).to_contain_text("Uppgiften är registrerad.")
    expect(region(page, "Beslut och uppföljning")).to_contain_text("Anmäl Kim till stödgruppen")
    assert_accessible(page)

    # --- Two perspectives from two units --------------------------------------------
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Bedömning per perspektiv").click()
    expect(page).to_have_url(re.compile(r"/bedomning/$"))
    assessment_url = page.url
    assert_accessible(page)
    anna_section = region(page, "Anna Åberg för egen del Föräldern för egen del")
    anna_section.get_by_role("link", name=re.compile(r"^Skriv bedömning")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna Åberg för egen del")
    assert_accessible(page)
    page.get_by_label("Behov").fill(ANNA_NEEDS)
    page.get_by_label("Riskfaktorer").fill("Återfall vid stress.")
    page.get_by_role(
        "checkbox",
        name="Föräldrarna får den hjälp och det stöd de behöver, för egen del och i föräldraskapet",
    ).check()
    page.get_by_label("Familjens egen syn").fill(ANNA_VIEW)
    save(page)
    expect(message(page)).to_contain_text("Bedömningen är sparad.")
    expect(anna_section).to_contain_text(ANNA_NEEDS)
    assert_accessible(page)

    bo.goto(assessment_url)
    kim_section = region(bo, "Barnet Kim Åberg Barnet")
    expect(kim_section).to_contain_text("Ålder: 13 år")  # for an age-fitting view
    assert_accessible(bo)
    kim_section.get_by_role("link", name=re.compile(rf"^Skriv bedömning.*{CHILD_UNIT}")).click()
    expect(bo.get_by_role("heading", level=1)).to_have_text("Barnet Kim Åberg")
    assert_accessible(bo)
    bo.get_by_label("Behov").fill(KIM_NEEDS)
    bo.get_by_label("Barnets egna ord").fill(KIM_WORDS)
    bo.get_by_role(
        "checkbox", name="Barnet får ge uttryck för sin oro och sina upplevelser"
    ).check()
    save(bo)
    expect(message(bo)).to_contain_text("Bedömningen är sparad.")
    expect(kim_section).to_contain_text(KIM_WORDS)
    # Anna's consent covers the children's unit: it reads the adult unit's part.
    expect(region(bo, "Anna Åberg för egen del Föräldern för egen del")).to_contain_text(ANNA_NEEDS)
    assert_accessible(bo)

    # --- The coordinator's family plan: a goal per perspective, two interventions ---
    page.get_by_role("link", name="Till familjeärendet").click()
    page.get_by_role("link", name="Familjeplan, remisser och placeringar").click()
    expect(page).to_have_url(re.compile(r"/plan/$"))
    plan_url = page.url
    expect(page.get_by_role("main")).to_contain_text("Det finns ingen familjeplan ännu.")
    assert_accessible(page)
    page.get_by_role("link", name="Börja planen med ett mål").click()
    for perspective, goal in (
        ("Barnet Kim Åberg", "Kim vet att det inte är hans fel och har någon att prata med."),
        ("Anna Åberg för egen del", "Anna är nykter och orkar vara förälder."),
    ):
        expect(page.get_by_role("heading", level=1)).to_have_text("Nytt mål")
        assert_accessible(page)
        page.get_by_label("Perspektiv").select_option(label=perspective)
        page.get_by_label(exactly("Mål")).fill(goal)
        save(page)
        expect(message(page)).to_contain_text("Målet är sparat i planen.")
        expect(page.get_by_role("heading", level=2, name=perspective)).to_be_visible()
        assert_accessible(page)
        if perspective.startswith("Barnet"):
            page.get_by_role("link", name="Nytt mål").click()
    in_a_week = f"{timezone.localdate() + datetime.timedelta(days=7):%Y-%m-%d}"
    in_two_months = f"{timezone.localdate() + datetime.timedelta(days=60):%Y-%m-%d}"
    for goal, intervention, unit, worker, follow_up in (
        ("Barnet Kim Åberg", SUPPORT_GROUP, CHILD_UNIT, "Bo Barnsson", in_a_week),
        (
            "Anna Åberg för egen del",
            PARENT_SUPPORT,
            ADULT_UNIT,
            "Maria Missbruksson",
            in_two_months,
        ),
    ):
        page.get_by_role("link", name="Ny insats i planen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ny insats i planen")
        assert_accessible(page)
        choose_starting(page.get_by_label(exactly("Mål")), goal + ": ")
        page.get_by_label("Insats").select_option(label=intervention)
        page.get_by_label("Ansvarig enhet").select_option(label=unit)
        page.get_by_label("Ansvarig handläggare").select_option(label=worker)
        page.get_by_label("Startdatum").fill(today)
        page.get_by_label("Uppföljningsdatum").fill(follow_up)
        save(page)
        expect(message(page)).to_contain_text("Insatsen är sparad i planen.")
        goal_section = page.get_by_role("region", name=goal)
        expect(goal_section).to_contain_text(intervention)
        expect(goal_section).to_contain_text(f"ansvarig: {unit}, {worker}")
        assert_accessible(page)
    expect(page.get_by_role("main")).to_contain_text("Version 4")

    # The follow-up due within a week is in the children's unit's work queue.
    bo.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Att göra").click()
    bo.get_by_role("navigation", name="Grupper att göra").get_by_role(
        "link", name="Uppföljningar i familjeplaner"
    ).click()
    expect(bo).to_have_url(re.compile(r"/att-gora/\?group=plan_follow_ups$"))
    queued = bo.locator("table.queue").get_by_role("row").filter(has_text=TITLE)
    expect(queued).to_have_count(1)
    expect(queued).to_contain_text(f"{SUPPORT_GROUP}: Barnet Kim Åberg")
    # (The group shows the intervention's start, not the follow-up's due date: see the
    # report on kinsight/followup/templates/followup/work_queue.html.)
    expect(queued.get_by_role("link", name="Följ upp insatsen")).to_be_visible()
    assert_accessible(bo)

    # --- A referral of Kim to the support group, after consent for referral ---------
    def referral_form():
        region(page, "Remisser").get_by_role("link", name="Ny remiss").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ny remiss")
        assert_accessible(page)
        page.get_by_label("Gäller").select_option(label="Kim Åberg (Barn)")
        page.get_by_label("Insats").select_option(label=SUPPORT_GROUP)
        page.get_by_label("Till enhet").select_option(label=CHILD_UNIT)
        page.get_by_label("Anledning och önskat stöd").fill(
            "Kim behöver träffa andra barn vars föräldrar har ett beroende."
        )
        save(page, "Skicka remissen")

    referral_form()
    expect(page.locator(".error-summary")).to_contain_text(
        "Kim Åberg har inget gällande samtycke till remiss som omfattar " + CHILD_UNIT
    )
    assert_accessible(page)
    assert not Referral.objects.exists()
    page.goto(work_url)
    record_consent(
        page,
        "Kim Åberg",
        purpose="Remiss till annan enhet eller utförare",
        units=[CHILD_UNIT],
        given_by="Per Persson",
    )
    page.goto(plan_url)
    referral_form()
    expect(message(page)).to_contain_text(f"Remissen är skickad till {CHILD_UNIT}.")
    expect(page).to_have_url(re.compile(r"/remisser/\d+/$"))
    referral_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Remiss för Kim Åberg till {CHILD_UNIT}"
    )
    assert_accessible(page)

    # The children's unit receives and accepts it; the sender sees each step.
    bo.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Remisser").click()
    received = bo.get_by_role("table", name="Mottagna remisser")
    expect(received).to_contain_text("Skickad")
    assert_accessible(bo)
    received.get_by_role("link", name="Kim Åberg").click()
    expect(bo).to_have_url(referral_url)
    for step, done in (("Mottagen", "mottagen"), ("Accepterad", "accepterad")):
        assert_accessible(bo)
        bo.get_by_label("Nästa steg").select_option(label=step)
        save(bo, "Spara steget")
        expect(message(bo)).to_contain_text(f"Remissen är {done}.")
    assert_accessible(bo)
    page.goto(plan_url)
    expect(region(page, "Remisser")).to_contain_text(f"Accepterad ({today})")
    assert_accessible(page)

    # --- The PDF of the assessment, read back as text -------------------------------
    page.goto(assessment_url)
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner som PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"bedomning-{work.pk}-{today}.pdf"
    with open(download.path(), "rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    text = pdf_text(pdf)
    assert f"Bedömning per perspektiv: {TITLE}" in text
    assert "Utskriven" in text and "av Maria Missbruksson" in text
    for expected in ("Anna Åberg för egen del", ANNA_NEEDS, ANNA_VIEW, "Barnet Kim Åberg"):
        assert expected in text, (expected, text)
    assert KIM_NEEDS in text and KIM_WORDS in text  # Kim's consent covers the adult unit
    assert NO_CONSENT not in text

    # --- Economic assistance, before the withdrawal: everything that consent allows --
    eva.reload()
    expect(region(eva, "Familjen")).to_contain_text("Anna Åberg")
    expect(region(eva, "Familjen").locator(".panel")).to_have_count(0)
    expect(region(eva, "Familjemöten")).to_contain_text(today)
    assert_accessible(eva)
    goto_ok(eva, meeting_url)
    expect(region(eva, "Protokoll")).to_contain_text(MINUTES)
    goto_ok(eva, assessment_url)
    eva_anna = region(eva, "Anna Åberg för egen del Föräldern för egen del")
    expect(eva_anna).to_contain_text(ANNA_NEEDS)
    goto_ok(eva, plan_url)
    expect(eva.get_by_role("region", name="Barnet Kim Åberg")).to_contain_text(SUPPORT_GROUP)

    # --- Anna withdraws her consent; the coordinator records it ----------------------
    page.goto(work_url)
    anna_consent = (
        region(page, "Samtycken")
        .get_by_role("row")
        .filter(has=page.get_by_role("cell", name="Anna Åberg", exact=True))
    )
    anna_consent.get_by_role(
        "link", name="Återkalla Informationsutbyte inom familjeärendet: Anna Åberg"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Återkalla samtycke")
    assert_accessible(page)
    page.get_by_label("Skäl").fill("Anna vill inte att ekonomiskt bistånd vet mer.")
    save(page)
    expect(message(page)).to_contain_text(
        "Samtycket är återkallat. Delningen upphörde med en gång."
    )
    expect(anna_consent).to_contain_text(f"Återkallat {today}: Anna vill inte")
    # The coordinator keeps the member list (and may ask for a new consent).
    expect(region(page, "Familjen")).to_contain_text("Anna Åberg")
    assert_accessible(page)

    # --- Economic assistance loses Anna at once (next request) ----------------------
    goto_ok(eva, work_url)
    family = region(eva, "Familjen")
    expect(family).to_contain_text("1 familjemedlem visas inte")
    expect(family.get_by_role("row").filter(has_text="Per Persson")).to_have_count(1)
    expect(family.get_by_role("row").filter(has_text="Kim Åberg")).to_have_count(1)
    # Kim's consent was given by a guardian; who, is not shown any more.
    kim_sharing = region(eva, "Samtycken").get_by_role("row").filter(has_text="Barnet instämmer")
    expect(kim_sharing.get_by_role("cell").first).to_have_accessible_name(
        "Kim Åberg Lämnat av vårdnadshavare Barnet instämmer"
    )
    expect(eva.get_by_role("main")).not_to_contain_text("Anna")
    # The minutes concern the whole family: gone from the list, and the page is 404.
    expect(region(eva, "Familjemöten")).to_contain_text("Inga möten som du får se.")
    response = eva.goto(meeting_url)
    assert response.status == 404
    expect(eva.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)
    expect(eva.locator("body")).not_to_contain_text(MINUTES)
    assert_accessible(eva)
    # Anna's part of the assessment: named by her role, not shared.
    goto_ok(eva, assessment_url)
    parent_1 = region(eva, "Förälder 1 för egen del Föräldern för egen del")
    expect(parent_1.get_by_role("article", name=ADULT_UNIT)).to_contain_text(NO_CONSENT)
    expect(eva.get_by_role("main")).not_to_contain_text(ANNA_NEEDS)
    expect(eva.get_by_role("main")).not_to_contain_text("Anna")
    expect(region(eva, "Barnet Kim Åberg Barnet")).to_contain_text(KIM_WORDS)
    # The plan is seen by other units only with everyone's consent.
    goto_ok(eva, plan_url)
    expect(eva.get_by_role("main")).to_contain_text(
        "Familjeplanen visas för andra enheter än samordnaren när alla i familjen har samtyckt"
    )
    expect(eva.get_by_role("main")).not_to_contain_text("Anna är nykter")
    # And the PDF printed now leaves her part out.
    response = eva.context.request.get(f"{assessment_url}utskrift.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert NO_CONSENT in text and "Förälder 1 för egen del" in text
    assert ANNA_NEEDS not in text and "Anna" not in text
    assert KIM_WORDS in text

    # The consent covered every unit: the children's unit loses Anna's part and the
    # minutes too (not every member consents any more).
    bo.goto(assessment_url)
    expect(region(bo, "Förälder 1 för egen del Föräldern för egen del")).to_contain_text(NO_CONSENT)
    assert_accessible(bo)
    assert bo.goto(meeting_url).status == 404

    # What was stored and logged.
    consent = Consent.objects.get(person=anna, purpose="sharing")
    assert consent.withdrawn_on == timezone.localdate()
    withdrawal = AuditEntry.objects.get(
        actor=maria,
        action="update",
        object_type="family.consent",
        object_id=str(consent.pk),
    )
    assert "withdrawn_on" in withdrawal.changes
    referral = Referral.objects.get()
    assert (referral.person, referral.status) == (kim, ReferralStatus.ACCEPTED)
    assert referral.to_unit.name == CHILD_UNIT
    assert AuditEntry.objects.filter(
        actor=eva_user, action="export", object_type="assessment.assessment"
    ).exists()
    # Economic assistance read the minutes before the withdrawal, never after.
    eva_reads = AuditEntry.objects.filter(
        actor=eva_user, action="read", object_type="family.familymeeting"
    )
    assert eva_reads.filter(at__lt=withdrawal.at).exists()
    assert not eva_reads.filter(at__gt=withdrawal.at).exists()
    for other in (bo, eva):
        other.context.close()
