"""Issue 5 in a real browser: a case worker of the addiction unit is prompted with the
child question on an adult's case, records two children (one by personnummer, one by
first name and age), attends one, flags the other as a young carer and sends an
internal concern report; a worker of the children-and-youth unit finds it in "Att
göra" with the 14-day clock and records the förhandsbedömning; the addiction unit's
manager sees the minimum level go from no children to 1 of 2 attended. Workers of
another municipality or of an unrelated unit get 404 on the child and report pages.
Every page visited must pass axe-core without serious or critical violations."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kinsight.audit.models import AuditEntry
from kinsight.core.models import Role, UnitType
from kinsight.detection.models import (
    ChildRecord,
    ConcernReport,
    PreAssessmentDecision,
    ReportSource,
    ReportStatus,
)
from kinsight.followup.models import MinimumLevelMonth
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.people import factories as pf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADULT_UNIT = "Vuxna (missbruk och beroende) Norr"
CHILD_UNIT = "Barn och ungdom Norr"
SUBJECT = "Stöd vid alkoholberoende"
NOT_FOUND = "Sidan finns inte"


def personnummer(birth, serial):
    """YYMMDD-NNNC with the Luhn check digit computed here, independently of the app."""
    nine = f"{birth:%y%m%d}{serial:03d}"
    total = 0
    for index, char in enumerate(nine):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return f"{nine[:6]}-{nine[6:]}{(10 - total % 10) % 10}"


def age_on(birth, day):
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def add_months(day, months):
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)  # pragma: no cover


def staff_with_device(municipality, unit, role=Role.CASE_WORKER, **fields):
    user = factories.staff(municipality, role=role, unit=unit, **fields)
    return user, factories.totp_device(user)


@pytest.fixture
def people(municipality, org):
    units = org["units"]
    worker = staff_with_device(
        municipality,
        units[UnitType.ADULTS_ADDICTION],
        username="maria.m",
        first_name="Maria",
        last_name="Missbruksson",
    )
    anna = pf.person(municipality, "Anna", "Åberg", birth_date=datetime.date(1985, 3, 12))
    pf.case(anna, units[UnitType.ADULTS_ADDICTION], responsible=worker[0], subject=SUBJECT)
    other = factories.municipality("Annan kommun")
    other_org = factories.org(other)
    return {
        "worker": worker,
        "manager": staff_with_device(
            municipality,
            units[UnitType.ADULTS_ADDICTION],
            role=Role.UNIT_MANAGER,
            username="eva.e",
            first_name="Eva",
            last_name="Enhetschef",
        ),
        "child_worker": staff_with_device(
            municipality,
            units[UnitType.CHILDREN_YOUTH],
            username="bo.b",
            first_name="Bo",
            last_name="Barnsson",
        ),
        # A case worker of an unrelated unit (economic assistance) of the same municipality.
        "unrelated": staff_with_device(
            municipality, units[UnitType.ECONOMIC_ASSISTANCE], username="ekon.e"
        ),
        # The children-and-youth worker of another municipality.
        "outsider": staff_with_device(
            other, other_org["units"][UnitType.CHILDREN_YOUTH], username="annan.a"
        ),
    }


def id_from_url(page, pattern):
    expect(page).to_have_url(re.compile(pattern))
    return re.search(pattern, page.url)[1]


def status_message(page):
    return page.locator(".messages")


def dashboard_headline(page):
    return page.get_by_role("region", name=re.compile("^Läget "))


def test_a_child_found_in_the_addiction_unit_reaches_the_childrens_unit_and_the_figure(
    page, new_context, app_url, people
):
    today = timezone.localdate()
    due = today + datetime.timedelta(days=14)
    worker, device = people["worker"]

    # The manager's dashboard before: one parent without an answer, no children yet.
    manager_page = new_context().new_page()
    login(manager_page, app_url, *people["manager"])
    manager_page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Miniminivå"
    ).click()
    expect(manager_page).to_have_url(f"{app_url}/uppfoljning/miniminiva/")
    headline = dashboard_headline(manager_page)
    expect(headline.get_by_role("heading", level=2)).to_contain_text("beräknat nu")
    expect(headline).to_contain_text("Inga barn registrerade.")
    expect(headline).to_contain_text("Föräldrar utan svar på barnfrågan: 1.")
    assert_accessible(manager_page)

    # The worker opens Anna's case from "Mina ärenden" and is asked the child question.
    login(page, app_url, worker, device, check=assert_accessible)
    assert_accessible(page)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Mina ärenden"
    ).click()
    expect(page).to_have_url(f"{app_url}/arenden/mina/")
    assert_accessible(page)
    page.get_by_role("link", name=SUBJECT).click()
    case_id = id_from_url(page, r"/arenden/(\d+)/$")
    case_url = page.url
    prompt = page.get_by_role("region", name="Barnfrågan")
    expect(prompt).to_contain_text("Barnfrågan är inte besvarad")
    assert_accessible(page)
    prompt.get_by_role("link", name="Besvara barnfrågan").click()
    expect(page).to_have_url(f"{case_url}barnfragan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Barnfrågan")
    assert_accessible(page)
    page.get_by_label("Har personen barn under 18 år?").select_option(label="Ja")
    page.get_by_label("Väntar personen (eller partnern) barn?").select_option(label="Nej")
    page.get_by_role("button", name="Spara svaret").click()

    # "Yes" leads straight to the first child: Elsa, known by personnummer.
    expect(page).to_have_url(f"{case_url}barn/nytt/")
    expect(status_message(page)).to_contain_text("Barnfrågan är besvarad.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lägg till barn som anhörig")
    assert_accessible(page)
    elsa_birth = datetime.date(today.year - 9, 2, 14)
    elsa_number = personnummer(elsa_birth, 246)
    page.get_by_label("Barnets personnummer").fill(elsa_number)
    page.get_by_label("Förnamn").fill("Elsa")
    page.get_by_label("Vårdnad").select_option(label="Gemensam vårdnad")
    page.get_by_label("Bor barnet hos föräldern?").select_option(label="Heltid")
    page.get_by_role("button", name="Spara och lägg till ett barn till").click()

    # The second, by first name and age only.
    expect(page).to_have_url(f"{case_url}barn/nytt/")
    expect(status_message(page)).to_contain_text(re.compile(r"Elsa( Åberg)? är registrerad "))
    assert_accessible(page)
    page.get_by_label("Förnamn").fill("Lo")
    page.get_by_label("Ålder (år)").fill("13")
    page.get_by_label("Bor barnet hos föräldern?").select_option(label="Deltid")
    page.get_by_label("Vilka andra tar hand om barnet?").fill("Pappa Jonas")
    page.get_by_role("button", name="Spara", exact=True).click()

    # Back on the case: the question is answered, two children identified.
    expect(page).to_have_url(case_url)
    expect(status_message(page)).to_contain_text(re.compile(r"Lo är registrerad "))
    expect(page.get_by_role("region", name="Barnfrågan")).to_have_count(0)
    children = page.get_by_role("region", name="Barn som anhöriga")
    expect(children).to_contain_text("Barn under 18 år: Ja. Väntar barn: Nej.")
    rows = children.get_by_role("row")
    elsa_row = rows.filter(has=page.get_by_role("link", name="Elsa Åberg"))
    lo_row = rows.filter(has=page.get_by_role("link", name="Lo", exact=True))
    expect(elsa_row).to_contain_text(str(age_on(elsa_birth, today)))
    expect(elsa_row).to_contain_text("Identifierat")
    expect(lo_row).to_contain_text("ca 13")
    expect(lo_row).to_contain_text("Deltid")
    assert_accessible(page)

    # Elsa is attended: the parent talked with, the child informed.
    elsa_row.get_by_role("link", name="Elsa Åberg").click()
    elsa_id = id_from_url(page, r"/barn-som-anhoriga/(\d+)/$")
    elsa_url = page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text("Elsa Åberg")
    expect(page.locator("dl.facts")).to_contain_text("Inte ännu")
    assert_accessible(page)
    step = page.locator("form").filter(has=page.get_by_role("button", name="Spara steget"))
    expect(step.get_by_label("Nästa steg")).to_have_value("attended")
    step.get_by_label("Jag har pratat med föräldern om barnets situation").check()
    step.get_by_label("Barnet har fått information anpassad efter ålder").check()
    step.get_by_label("Kort anteckning").fill("Samtal med Anna om hur Elsa har det hemma.")
    step.get_by_role("button", name="Spara steget").click()
    expect(page).to_have_url(elsa_url)
    expect(status_message(page)).to_contain_text("Steget är sparat: Uppmärksammat.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uppmärksammat")
    expect(page.locator("dl.facts")).to_contain_text(f"{today:%Y-%m-%d}")
    steps = page.get_by_role("region", name="Steg")
    expect(steps).to_contain_text("Samtal med föräldern")
    expect(steps).to_contain_text("Barnet informerat")
    assert_accessible(page)

    # Lo helps a lot at home: a young carer, and a concern report in two clicks.
    page.get_by_role("link", name="förälderns ärende").click()
    expect(page).to_have_url(case_url)
    page.get_by_role("region", name="Barn som anhöriga").get_by_role(
        "link", name="Lo", exact=True
    ).click()
    lo_id = id_from_url(page, r"/barn-som-anhoriga/(\d+)/$")
    lo_url = page.url
    flags = page.get_by_role("region", name="Markeringar")
    flags.get_by_role("combobox", name="Markering", exact=True).select_option(
        label="Ung omsorgsgivare"
    )
    flags.get_by_role("button", name="Lägg till markering").click()
    expect(page).to_have_url(lo_url)
    expect(status_message(page)).to_contain_text("Markeringen är sparad: Ung omsorgsgivare.")
    expect(flags).to_contain_text(f"Ung omsorgsgivare: {today:%Y-%m-%d} – pågår")
    assert_accessible(page)

    page.get_by_role("link", name="Gör orosanmälan").click()
    expect(page).to_have_url(f"{lo_url}orosanmalan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Orosanmälan om Lo")
    expect(page.get_by_label("Till enhet").locator("option:checked")).to_have_text(CHILD_UNIT)
    concern = page.get_by_label("Vad är du orolig för?")
    expect(concern).to_have_value(re.compile(r"Ung omsorgsgivare"))
    expect(concern).to_have_value(re.compile(r"Pappa Jonas"))
    assert_accessible(page)
    page.get_by_role("button", name="Skicka orosanmälan").click()
    expect(page).to_have_url(lo_url)
    expect(status_message(page)).to_contain_text(f"Orosanmälan är skickad till {CHILD_UNIT}.")
    reports = page.get_by_role("region", name="Orosanmälningar")
    expect(reports).to_contain_text(f"till {CHILD_UNIT}: Mottagen, förhandsbedömning pågår")
    report_url = app_url + reports.get_by_role("link").get_attribute("href")
    report_id = re.search(r"/orosanmalningar/(\d+)/$", report_url)[1]
    assert_accessible(page)

    # The children-and-youth worker: the report waits in "Att göra" with its 14 days.
    child_page = new_context().new_page()
    child_user, child_device = people["child_worker"]
    login(child_page, app_url, child_user, child_device)
    assert_accessible(child_page)
    menu = child_page.get_by_role("navigation", name="Huvudmeny")
    expect(menu.locator("#nav-count-mine")).to_have_text("(1)")
    menu.get_by_role("link", name="Att göra").click()
    expect(child_page).to_have_url(f"{app_url}/att-gora/")
    assert_accessible(child_page)
    groups = child_page.get_by_role("navigation", name="Grupper att göra")
    groups.get_by_role("link", name="Orosanmälningar som väntar på förhandsbedömning").click()
    expect(child_page).to_have_url(re.compile(r"/att-gora/\?group=pre_assessment$"))
    queue = child_page.locator("table.queue")
    item = queue.get_by_role("row").filter(has_text="Lo")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(CHILD_UNIT)
    expect(item.get_by_role("cell").nth(3)).to_have_text(f"{today:%Y-%m-%d}")
    due_cell = item.get_by_role("cell").nth(4)
    expect(due_cell).to_contain_text(f"{due:%Y-%m-%d}")
    expect(due_cell).to_contain_text("14 dagar kvar")
    assert_accessible(child_page)

    item.get_by_role("link", name=re.compile(r"^Gör förhandsbedömningen\s*: Lo$")).click()
    expect(child_page).to_have_url(report_url)
    facts = child_page.locator("dl.facts")
    expect(facts).to_contain_text(f"Mottagen{today:%Y-%m-%d}")
    expect(facts).to_contain_text(f"Förhandsbedömning senast{due:%Y-%m-%d}")
    expect(facts).to_contain_text("Intern (från socialtjänsten) – " + ADULT_UNIT)
    expect(child_page.get_by_role("region", name="Oro")).to_contain_text("Ung omsorgsgivare")
    assert_accessible(child_page)
    decision = child_page.get_by_role("region", name="Förhandsbedömning")
    decision.get_by_label("Beslut efter förhandsbedömning").select_option(label="Utredning inleds")
    decision.get_by_label("Beslutsdatum").fill(f"{today:%Y-%m-%d}")
    decision.get_by_label("Motivering").fill("Lo tar ansvar hemma som ett barn inte ska behöva.")
    decision.get_by_role("button", name="Spara beslutet").click()
    expect(child_page).to_have_url(report_url)
    expect(status_message(child_page)).to_contain_text(
        "Beslutet efter förhandsbedömningen är sparat."
    )
    expect(facts).to_contain_text("StatusUtredning inledd")
    expect(facts).to_contain_text(f"Förhandsbedömning beslutad{today:%Y-%m-%d}")
    expect(facts).to_contain_text(f"Utredning klar senast{add_months(today, 4):%Y-%m-%d}")
    expect(facts).to_contain_text("Ansvarig" + "Bo Barnsson")
    expect(child_page.get_by_role("region", name="Förhandsbedömning")).to_have_count(0)
    assert_accessible(child_page)

    # The report led them to Lo's record; Elsa, without a report, stays out of sight.
    facts.get_by_role("link", name="Lo").click()
    expect(child_page).to_have_url(lo_url)
    expect(child_page.get_by_role("heading", level=1)).to_contain_text("Lo")
    assert_accessible(child_page)
    response = child_page.goto(elsa_url)
    assert response.status == 404
    expect(child_page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)
    assert_accessible(child_page)
    # Decided: the report has left the group (an empty group says so).
    child_page.goto(f"{app_url}/att-gora/?group=pre_assessment")
    expect(child_page.get_by_role("heading", level=2)).to_have_text(
        "Orosanmälningar som väntar på förhandsbedömning"
    )
    expect(child_page.locator("table.queue")).to_have_count(0)
    expect(child_page.get_by_role("main")).to_contain_text("Inget att göra här just nu.")
    assert_accessible(child_page)

    # The reporting worker sees that it was received and acted on, not the content.
    page.reload()
    expect(page.get_by_role("region", name="Orosanmälningar")).to_contain_text(
        f"Utredning inledd, förhandsbedömning beslutad {today:%Y-%m-%d}"
    )
    assert_accessible(page)
    page.goto(report_url)
    expect(page.locator("dl.facts")).to_contain_text("StatusUtredning inledd")
    expect(page.get_by_role("main")).to_contain_text("Innehållet ser bara den mottagande enheten.")
    expect(page.get_by_role("main")).not_to_contain_text("Ung omsorgsgivare")
    expect(page.get_by_role("main")).not_to_contain_text("Lo tar ansvar hemma")
    assert_accessible(page)

    # The manager's figure now: 1 of 2 children attended, the question answered; the
    # running month is counted live (no rollup rows exist).
    assert not MinimumLevelMonth.objects.exists()
    manager_page.reload()
    headline = dashboard_headline(manager_page)
    expect(headline.get_by_role("heading", level=2)).to_contain_text("beräknat nu")
    expect(headline).to_contain_text("50,0 % uppmärksammade (1 av 2 barn)")
    expect(headline).to_contain_text("Föräldrar utan svar på barnfrågan: 0.")
    by_unit = manager_page.get_by_role("table").filter(
        has=manager_page.get_by_text(re.compile(r"^Per enhet, "))
    )
    unit_row = by_unit.get_by_role("row").filter(
        has=manager_page.get_by_role("rowheader", name=ADULT_UNIT)
    )
    # Children, attended, share, (the bar is hidden from assistive technology), not
    # attended, parents "unknown", parents unanswered, expected children (counted apart).
    expect(unit_row.get_by_role("cell")).to_have_text(["2", "1", "50,0 %", "1", "0", "0", "0"])
    this_month = manager_page.get_by_role("row").filter(
        has=manager_page.get_by_role("rowheader", name=f"{today:%Y-%m} nu")
    )
    expect(this_month.get_by_role("cell").nth(2)).to_have_text("50,0 %")
    assert_accessible(manager_page)
    manager_page.get_by_role("link", name="Visa 1 barn som inte är uppmärksammat").click()
    expect(manager_page).to_have_url(re.compile(r"/uppfoljning/miniminiva/ej-uppmarksammade/"))
    not_attended = manager_page.get_by_role("table")
    expect(not_attended.get_by_role("row")).to_have_count(2)
    expect(not_attended).to_contain_text("Lo")
    expect(not_attended).not_to_contain_text("Elsa")
    assert_accessible(manager_page)

    # Another municipality, or an unrelated unit of ours: nothing there (404).
    for key in ("outsider", "unrelated"):
        other = new_context().new_page()
        login(other, app_url, *people[key])
        for url in (elsa_url, lo_url, report_url):
            response = other.goto(url)
            assert response.status == 404, (key, url)
            expect(other.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)
            expect(other.locator("body")).not_to_contain_text("Åberg")
            expect(other.get_by_role("main")).not_to_contain_text("Lo")
        assert_accessible(other)
        other.context.close()

    # What was stored, and who read it.
    report = ConcernReport.objects.get(pk=report_id)
    assert report.source == ReportSource.INTERNAL
    assert report.status == ReportStatus.INVESTIGATING
    assert report.pre_assessment_decision == PreAssessmentDecision.OPEN_INVESTIGATION
    assert (report.received_on, report.pre_assessment_due_on) == (today, due)
    assert report.pre_assessment_decided_on == today
    assert report.feedback_requested is False
    elsa = ChildRecord.objects.get(pk=elsa_id)
    assert elsa.child.identifier.endswith(elsa_number.replace("-", "")[-4:])
    assert elsa.attended_on == today
    assert ChildRecord.objects.get(pk=lo_id).attended_on is None
    assert str(ChildRecord.objects.get(pk=lo_id).case_id) == case_id
    child_reads = AuditEntry.objects.filter(actor=child_user, action="read")
    assert child_reads.filter(object_type="detection.concernreport", object_id=report_id)
    assert child_reads.filter(object_type="detection.childrecord", object_id=lo_id)
    assert not AuditEntry.objects.filter(
        actor=child_user, object_type="detection.childrecord", object_id=elsa_id
    )
    for key in ("outsider", "unrelated"):
        assert not AuditEntry.objects.filter(
            actor=people[key][0], object_type__startswith="detection."
        )
