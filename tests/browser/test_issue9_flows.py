"""Issue 9's main paths in a real browser, each page through axe-core:

1. the start page answers "what do I do today" with links: the queue's counts, this
   week's deadlines and the recent cases each lead to the right page; and the feedback
   clock (§4): a reporter who asked for feedback waits in "Att göra" until the children's
   unit records it;
2. a person another unit works with (§3): the children's unit types Anna's whole number,
   sees only her name and birth date, opens its own case; the adult unit's case stays 404;
3. attended means both parts (§4): an infant is attended with the parent talk and the
   child's information "Ej tillämpligt" with a reason; a nine-year-old with the parent talk
   alone is refused; an expected child is queued to plan for;
4. who saw this person (§8): the log reviewer finds the case worker's read of Anna and the
   list that showed her, newest first;
5. a protected person's address (§7) is never filled in on the edit page, and saving the
   form with the fields empty keeps it."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kinsight.audit.models import AuditEntry
from kinsight.cases.models import Case
from kinsight.core.models import Role, UnitType
from kinsight.core.versioning import NOT_YET_SAVED
from kinsight.detection import services as detection
from kinsight.detection.models import (
    ChildInformation,
    ChildRecord,
    ConcernReport,
    PreAssessmentDecision,
    ReporterCategory,
    add_months,
)
from kinsight.people.models import Person
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.people import factories as pf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADULT_UNIT = "Vuxna (missbruk och beroende) Norr"
CHILD_UNIT = "Barn och ungdom Norr"
ADULT_SUBJECT = "Stöd vid alkoholberoende"
NOT_FOUND = "Sidan finns inte"


def staff_with_device(municipality, unit, role=Role.CASE_WORKER, **fields):
    user = factories.staff(municipality, role=role, unit=unit, **fields)
    return user, factories.totp_device(user)


@pytest.fixture
def setting(municipality, org):
    """Anna, known to the adult addiction unit (Maria's case); Bo works in the
    children's unit; Lena reviews the log."""
    units = org["units"]
    maria = staff_with_device(
        municipality,
        units[UnitType.ADULTS_ADDICTION],
        username="maria.m",
        first_name="Maria",
        last_name="Missbruksson",
    )
    bo = staff_with_device(
        municipality,
        units[UnitType.CHILDREN_YOUTH],
        username="bo.b",
        first_name="Bo",
        last_name="Barnsson",
    )
    anna = pf.person(
        municipality,
        "Anna",
        "Åberg",
        birth_date=datetime.date(1985, 3, 12),
        street_address="Storgatan 1",
        postal_code="12345",
        city="Småstad",
    )
    anna_case = pf.case(
        anna, units[UnitType.ADULTS_ADDICTION], responsible=maria[0], subject=ADULT_SUBJECT
    )
    return {
        "units": units,
        "maria": maria,
        "bo": bo,
        "anna": anna,
        "anna_case": anna_case,
    }


def message(page):
    return page.locator(".messages")


def menu_link(page, name):
    return page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=name)


def id_from_url(page, pattern):
    expect(page).to_have_url(re.compile(pattern))
    return int(re.search(pattern, page.url)[1])


def back_to(page, url):
    page.go_back()
    expect(page).to_have_url(url)


# --- 1. the start page, and the feedback clock ------------------------------------


@pytest.fixture
def reports(setting):
    """Two reports to the children's unit, both due today: Lo's förhandsbedömning
    (received 14 days ago) and the feedback on Vera's (decided a week ago, the reporter
    asked to hear). And Bo's own case for Kim."""
    bo = setting["bo"][0]
    child_unit = setting["units"][UnitType.CHILDREN_YOUTH]
    today = timezone.localdate()
    kim = pf.child(bo.municipality, "Kim", "Åberg", age=13)
    kim_case = pf.case(kim, child_unit, responsible=bo, subject="Utredning Kim")
    lo = detection.concern_report_register(
        actor=bo,
        receiving_unit=child_unit,
        reporter_category=ReporterCategory.SCHOOL,
        child_name="Lo Larsson",
        concern="Lo kommer ofta hungrig till skolan.",
        received_on=today - datetime.timedelta(days=14),
    )
    vera = detection.concern_report_register(
        actor=bo,
        receiving_unit=child_unit,
        reporter_category=ReporterCategory.PRESCHOOL,
        child_name="Vera Viksten",
        concern="Vera hämtas ofta sent.",
        reporter_name="Rut Rektorsson",
        reporter_contact="070-000 00 00",
        feedback_requested=True,
        received_on=today - datetime.timedelta(days=10),
    )
    vera = detection.concern_report_pre_assessment(
        actor=bo,
        report=vera,
        decision=PreAssessmentDecision.NO_INVESTIGATION,
        decided_on=today - datetime.timedelta(days=7),
        expected_version=vera.version,
        note="Familjen har redan stöd från förskolan.",
    )
    return {"kim_case": kim_case, "lo": lo, "vera": vera}


def test_the_start_page_leads_to_the_work_and_feedback_to_the_reporter_leaves_the_queue(
    page, app_url, setting, reports
):
    today = timezone.localdate()
    bo, device = setting["bo"]
    lo, vera, kim_case = reports["lo"], reports["vera"], reports["kim_case"]
    assert vera.feedback_due_on == today
    home = f"{app_url}/"
    login(page, app_url, bo, device)

    # What to do today: the queue's groups with their counts (a report in two groups
    # counts once), the week's deadlines and the recent cases.
    work = page.get_by_role("region", name="Att göra")
    expect(work.get_by_role("heading", level=3)).to_have_text("Mina 2")
    groups = [
        ("Orosanmälningar som väntar på förhandsbedömning", "pre_assessment", "Lo Larsson"),
        ("Återkoppling till anmälaren", "feedback", "Vera Viksten"),
        ("Frister inom 3 dagar eller passerade", "deadlines", "Lo Larsson"),
    ]
    expect(work.get_by_role("listitem")).to_have_text([f"{label} 1" for label, *_ in groups])
    week = page.get_by_role("region", name=re.compile(r"^Frister den här veckan"))
    expect(week.get_by_role("listitem")).to_have_count(2)
    for item in week.get_by_role("listitem").all():
        expect(item).to_contain_text(f"{today:%Y-%m-%d}")
        expect(item).to_contain_text(f"– {CHILD_UNIT}")
    recent = page.get_by_role("region", name="Mina senaste ärenden")
    expect(recent.get_by_role("listitem")).to_have_count(1)
    assert_accessible(page)

    # Each count leads to its group of the work queue.
    for label, key, child in groups:
        work.get_by_role("link", name=label).click()
        expect(page).to_have_url(f"{app_url}/att-gora/?group={key}")
        expect(page.get_by_role("heading", level=2)).to_have_text(label)
        expect(page.locator("table.queue").get_by_role("row").filter(has_text=child)).to_have_count(
            1
        )
        assert_accessible(page)
        back_to(page, home)

    # Each deadline leads to the report to act on.
    for name, report in (
        ("Gör förhandsbedömningen: Lo Larsson", lo),
        ("Ge återkoppling till anmälaren: Vera Viksten", vera),
    ):
        week.get_by_role("link", name=name).click()
        expect(page).to_have_url(f"{app_url}/orosanmalningar/{report.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Orosanmälan {report.received_on:%Y-%m-%d}"
        )
        assert_accessible(page)
        back_to(page, home)

    # The recent case, and all of them.
    recent.get_by_role("link", name="Kim Åberg: Utredning Kim").click()
    expect(page).to_have_url(f"{app_url}/arenden/{kim_case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Utredning Kim")
    assert_accessible(page)
    back_to(page, home)
    recent.get_by_role("link", name="Alla mina ärenden").click()
    expect(page).to_have_url(f"{app_url}/arenden/mina/")
    expect(page.get_by_role("link", name="Utredning Kim")).to_be_visible()
    assert_accessible(page)

    # The feedback clock: Vera's reporter waits in "Att göra".
    menu_link(page, re.compile(r"^Att göra")).click()
    expect(page).to_have_url(f"{app_url}/att-gora/")
    assert_accessible(page)
    queue_groups = page.get_by_role("navigation", name="Grupper att göra")
    queue_groups.get_by_role("link", name=re.compile(r"^Återkoppling till anmälaren")).click()
    expect(page).to_have_url(f"{app_url}/att-gora/?group=feedback")
    item = page.locator("table.queue").get_by_role("row").filter(has_text="Vera Viksten")
    decided = today - datetime.timedelta(days=7)
    expect(item.get_by_role("cell")).to_have_text(
        [
            "Vera Viksten",
            f"Beslut {decided:%Y-%m-%d}: utredning inleds inte",
            CHILD_UNIT,
            f"{decided:%Y-%m-%d}",
            re.compile(rf"^{today:%Y-%m-%d}\s+0 dagar kvar\s*$"),
            re.compile(r"^Ge återkoppling till anmälaren"),
        ]
    )
    assert_accessible(page)
    item.get_by_role(
        "link", name=re.compile(r"^Ge återkoppling till anmälaren\s*: Vera Viksten$")
    ).click()
    report_url = f"{app_url}/orosanmalningar/{vera.pk}/"
    expect(page).to_have_url(report_url)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(f"Ja. Återkoppling senast {today:%Y-%m-%d}.")
    feedback = page.get_by_role("region", name="Återkoppling till anmälaren")
    expect(feedback).to_contain_text("Anmälaren har begärt att få veta om utredning inleds.")
    assert_accessible(page)
    feedback.get_by_label("Återkoppling given").fill(f"{today:%Y-%m-%d}")
    feedback.get_by_role("button", name="Spara återkopplingen").click()
    expect(page).to_have_url(report_url)
    expect(message(page)).to_contain_text("Återkopplingen till anmälaren är sparad.")
    expect(facts).to_contain_text(f"Återkoppling given {today:%Y-%m-%d} av Bo Barnsson.")
    expect(page.get_by_role("region", name="Återkoppling till anmälaren")).to_have_count(0)
    assert_accessible(page)

    # Recorded: out of the queue and off the start page.
    page.goto(f"{app_url}/att-gora/?group=feedback")
    expect(page.get_by_role("main")).to_contain_text("Inget att göra här just nu.")
    expect(
        page.get_by_role("navigation", name="Grupper att göra").get_by_role(
            "link", name=re.compile(r"^Återkoppling till anmälaren")
        )
    ).to_have_text(re.compile(r"Återkoppling till anmälaren\s+0$"))
    assert_accessible(page)
    page.goto(home)
    expect(work.get_by_role("listitem")).to_have_text(
        [f"{label} 1" for label, key, _child in groups if key != "feedback"]
    )
    expect(week.get_by_role("link")).to_have_text(["Gör förhandsbedömningen: Lo Larsson"])
    assert_accessible(page)

    vera = ConcernReport.objects.get(pk=vera.pk)
    assert (vera.feedback_given_on, vera.feedback_given_by) == (today, bo)


# --- 2. a person another unit works with ------------------------------------------


def test_the_childrens_unit_opens_a_case_for_a_person_the_adult_unit_registered(
    page, app_url, setting
):
    bo, device = setting["bo"]
    anna, anna_case = setting["anna"], setting["anna_case"]
    login(page, app_url, bo, device)
    menu_link(page, "Mina ärenden").click()
    expect(page).to_have_url(f"{app_url}/arenden/mina/")
    assert_accessible(page)
    page.get_by_role("link", name="Nytt ärende med hela numret").click()
    expect(page).to_have_url(f"{app_url}/arenden/nytt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt ärende")
    assert_accessible(page)

    # The whole number: Anna's name and birth date, nothing of the adult unit's work.
    page.get_by_label("Hela numret").fill(anna.identifier_display)
    page.get_by_role("button", name="Sök på numret").click()
    known = page.get_by_role("region", name="Personen finns redan i kommunen")
    expect(known.locator("dl.facts")).to_have_text(
        re.compile(r"^\s*Namn\s*Anna Åberg\s*Födelsedatum\s*1985-03-12\s*$")
    )
    main = page.get_by_role("main")
    for hidden in (ADULT_SUBJECT, ADULT_UNIT, "Storgatan", "Missbruksson"):
        expect(main).not_to_contain_text(hidden)
    assert_accessible(page)
    page.get_by_label("Ärendemening").fill("Stöd i föräldraskapet")
    page.get_by_role("button", name="Öppna ärendet").click()
    case_id = id_from_url(page, r"/arenden/(\d+)/$")
    expect(message(page)).to_contain_text("Ärendet är öppnat.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stöd i föräldraskapet")
    assert_accessible(page)

    # The person page opens; it shows the children's unit's case, not the adult unit's.
    page.get_by_role("main").get_by_role("link", name="Anna Åberg").click()
    expect(page).to_have_url(f"{app_url}/personer/{anna.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna Åberg")
    expect(page.get_by_role("main")).to_contain_text("Stöd i föräldraskapet")
    expect(page.get_by_role("main")).not_to_contain_text(ADULT_SUBJECT)
    assert_accessible(page)

    # The adult unit's case stays theirs.
    response = page.goto(f"{app_url}/arenden/{anna_case.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)
    expect(page.get_by_role("main")).not_to_contain_text(ADULT_SUBJECT)
    assert_accessible(page)

    case = Case.objects.get(pk=case_id)
    assert (case.person_id, case.unit, case.responsible) == (
        anna.pk,
        setting["units"][UnitType.CHILDREN_YOUTH],
        bo,
    )
    lookups = AuditEntry.objects.filter(
        actor=bo, action="read", object_type="people.person", object_id=str(anna.pk)
    )
    assert [entry.changes for entry in lookups[:1]] == [{"lookup": "full identifier"}]


# --- 3. attended means both parts; expected children ------------------------------


@pytest.fixture
def children(setting):
    """Anna answered the child question (children, and expecting one); Mio is an
    infant, Elsa nine."""
    maria = setting["maria"][0]
    case = setting["anna_case"]
    detection.child_question_answer(
        actor=maria,
        case=case,
        has_children="yes",
        expecting_child="yes",
        expected_version=NOT_YET_SAVED,
    )
    return {
        name: detection.child_record_add(
            actor=maria, case=case, first_name=name, age=age, custody="joint", lives_with="full"
        )
        for name, age in (("Mio", 0), ("Elsa", 9))
    }


def _open_child(page, name):
    page.get_by_role("region", name="Barn som anhöriga").get_by_role(
        "link", name=name, exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    return page.locator("form").filter(has=page.get_by_role("button", name="Spara steget"))


def test_attended_needs_the_parent_talk_and_the_childs_information_and_expected_children_are_queued(
    page, app_url, setting, children
):
    today = timezone.localdate()
    maria, device = setting["maria"]
    case_url = f"{app_url}/arenden/{setting['anna_case'].pk}/"
    mio, elsa = children["Mio"], children["Elsa"]
    login(page, app_url, maria, device)
    menu_link(page, "Mina ärenden").click()
    expect(page).to_have_url(f"{app_url}/arenden/mina/")
    page.get_by_role("link", name=ADULT_SUBJECT).click()
    expect(page).to_have_url(case_url)
    expect(page.get_by_role("region", name="Barn som anhöriga")).to_contain_text(
        "Personen väntar barn (enligt barnfrågan)."
    )
    assert_accessible(page)

    # The infant: the parent talk, and the child's information not applicable.
    step = _open_child(page, "Mio")
    expect(page).to_have_url(f"{app_url}/barn-som-anhoriga/{mio.pk}/")
    assert_accessible(page)
    expect(step.get_by_label("Nästa steg")).to_have_value("attended")
    step.get_by_label("Jag har pratat med föräldern om barnets situation").check()
    step.get_by_role("radio", name="Ej tillämpligt").check()
    step.get_by_label("Om ej tillämpligt: varför?").fill("Mio är ett spädbarn.")
    step.get_by_role("button", name="Spara steget").click()
    expect(page).to_have_url(f"{app_url}/barn-som-anhoriga/{mio.pk}/")
    expect(message(page)).to_contain_text("Steget är sparat: Uppmärksammat.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uppmärksammat")
    expect(page.get_by_role("region", name="Steg")).to_contain_text(
        "Samtal med föräldern. Information till barnet ej tillämplig: Mio är ett spädbarn."
    )
    assert_accessible(page)

    # Elsa, with the parent talk alone: refused, and she stays identified.
    page.get_by_role("link", name="förälderns ärende").click()
    expect(page).to_have_url(case_url)
    step = _open_child(page, "Elsa")
    step.get_by_label("Jag har pratat med föräldern om barnets situation").check()
    step.get_by_role("button", name="Spara steget").click()
    expect(page).to_have_url(f"{app_url}/barn-som-anhoriga/{elsa.pk}/steg/")
    expect(page.get_by_role("alert")).to_contain_text(
        "Uppmärksammat räknas först när barnet också har fått information anpassad efter "
        "ålder. Ange det, eller ej tillämpligt med skäl (t.ex. ett spädbarn)."
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Identifierat")
    expect(page.locator("dl.facts")).to_contain_text("Inte ännu")
    assert_accessible(page)

    # The expected child: recorded from the case, queued to plan for.
    page.get_by_role("link", name="förälderns ärende").click()
    expect(page).to_have_url(case_url)
    page.get_by_role("link", name="Lägg till väntat barn").click()
    expect(page).to_have_url(f"{case_url}barn/vantat/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lägg till väntat barn")
    assert_accessible(page)
    month = add_months(today.replace(day=1), 4)
    page.get_by_label("Beräknad månad").fill(f"{month:%Y-%m}")
    page.get_by_role("button", name="Spara", exact=True).click()
    expected_id = id_from_url(page, r"/barn-som-anhoriga/(\d+)/$")
    expect(message(page)).to_contain_text("Det väntade barnet är registrerat.")
    expect(page.locator("dl.facts")).to_contain_text(f"Väntas{month:%Y-%m}")
    assert_accessible(page)

    menu_link(page, re.compile(r"^Att göra")).click()
    expect(page).to_have_url(f"{app_url}/att-gora/")
    page.get_by_role("navigation", name="Grupper att göra").get_by_role(
        "link", name=re.compile(r"^Väntade barn att planera för")
    ).click()
    expect(page).to_have_url(f"{app_url}/att-gora/?group=expected")
    expect(page.get_by_role("heading", level=2)).to_have_text("Väntade barn att planera för")
    item = page.locator("table.queue").get_by_role("row").filter(has_text="Anna Åberg")
    expect(item).to_contain_text(f"Väntar barn, beräknat {month:%Y-%m}")
    assert_accessible(page)
    item.get_by_role("link", name=re.compile(r"^Väntat barn – planera\s*: Anna Åberg$")).click()
    expect(page).to_have_url(f"{app_url}/barn-som-anhoriga/{expected_id}/")
    assert_accessible(page)

    mio, elsa = (ChildRecord.objects.get(pk=r.pk) for r in (mio, elsa))
    assert (mio.attended_on, elsa.attended_on) == (today, None)
    step = mio.steps.get(status="attended")
    assert (step.parent_talked_with, step.child_information, step.child_information_reason) == (
        True,
        ChildInformation.NOT_APPLICABLE,
        "Mio är ett spädbarn.",
    )
    assert not elsa.steps.filter(status="attended").exists()
    assert ChildRecord.objects.get(pk=expected_id).expected_month == month


# --- 4. who saw this person -------------------------------------------------------


def test_the_log_reviewer_sees_who_read_a_person_and_which_lists_showed_her(
    page, new_context, app_url, municipality, org, setting
):
    maria, device = setting["maria"]
    anna = setting["anna"]

    # Maria finds Anna by name (a list that shows her), then opens her page.
    login(page, app_url, maria, device)
    menu_link(page, "Sök person").click()
    expect(page).to_have_url(f"{app_url}/personer/")
    page.get_by_role("searchbox", name=re.compile(r"^Namn, personnummer")).fill("Åberg")
    page.get_by_role("button", name="Sök", exact=True).click()
    result = page.locator("#person-results").get_by_role("link", name="Anna Åberg")
    expect(result).to_be_visible()
    assert_accessible(page)
    result.click()
    expect(page).to_have_url(f"{app_url}/personer/{anna.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna Åberg")
    assert_accessible(page)

    # The log reviewer searches her number from the log.
    reviewer = staff_with_device(
        municipality,
        org["board"],
        role=Role.LOG_REVIEWER,
        username="lena.l",
        first_name="Lena",
        last_name="Loggsson",
    )
    review = new_context().new_page()
    login(review, app_url, *reviewer)
    menu_link(review, "Logg").click()
    expect(review).to_have_url(f"{app_url}/logg/")
    assert_accessible(review)
    review.get_by_label("Person (personnummer eller namn)", exact=True).fill(
        anna.identifier_display
    )
    review.get_by_role("button", name="Visa personens logg").click()
    expect(review).to_have_url(re.compile(r"/logg/person/\?s=[\w-]+$"))
    assert anna.identifier_display not in review.url
    found = review.get_by_role("table")
    expect(found.locator("caption")).to_have_text("1 person hittades")
    assert_accessible(review)
    found.get_by_role("link", name="Anna Åberg").click()
    expect(review).to_have_url(f"{app_url}/logg/person/{anna.pk}/")
    expect(review.get_by_role("heading", level=1)).to_have_text("Logg för Anna Åberg")
    assert_accessible(review)

    # Maria's read of Anna, and the search list that showed her, with names, newest first.
    rows = review.get_by_role("table", name=re.compile(r"^\d+ loggposter?$")).locator("tbody tr")
    by_maria = rows.filter(has_text="Maria Missbruksson (maria.m)")
    person_read = by_maria.filter(has_text="Person: Anna Åberg")
    list_read = by_maria.filter(has_text="Lista med 1 person")
    for row in (person_read, list_read):
        expect(row.first.get_by_role("cell").nth(2)).to_have_text("Maria Missbruksson (maria.m)")
        expect(row.first.get_by_role("cell").nth(3)).to_have_text(ADULT_UNIT)
        expect(row.first.get_by_role("cell").nth(4)).to_have_text("Läsning")
    texts = rows.all_inner_texts()
    sequence = [int(text.split()[0]) for text in texts]
    assert sequence == sorted(sequence, reverse=True), sequence
    first_person_read = next(i for i, t in enumerate(texts) if "Person: Anna Åberg" in t)
    first_list_read = next(
        i for i, t in enumerate(texts) if "Lista med 1 person" in t and "maria.m" in t
    )
    assert first_person_read < first_list_read, texts


# --- 5. a protected person's address ------------------------------------------------


def test_a_protected_persons_address_is_never_filled_in_and_an_empty_save_keeps_it(
    page, app_url, municipality, setting
):
    maria, device = setting["maria"]
    hidden = pf.person(
        municipality,
        "Hemlig",
        "Skyddad",
        birth_date=datetime.date(1990, 6, 1),
        protected_identity=True,
        street_address="Gömda vägen 9",
        postal_code="54321",
        city="Gömstad",
    )
    pf.case(
        hidden,
        setting["units"][UnitType.ADULTS_ADDICTION],
        responsible=maria,
        subject="Skyddat boende",
    )
    login(page, app_url, maria, device)
    page.get_by_role("region", name="Mina senaste ärenden").get_by_role(
        "link", name="Hemlig Skyddad: Skyddat boende"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skyddat boende")
    page.get_by_role("main").get_by_role("link", name="Hemlig Skyddad").click()
    person_url = f"{app_url}/personer/{hidden.pk}/"
    expect(page).to_have_url(person_url)
    expect(page.locator("dl.facts")).to_contain_text("Skyddad – visas inte")
    assert_accessible(page)

    page.get_by_role("link", name="Ändra uppgifter").click()
    expect(page).to_have_url(f"{person_url}andra/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra Hemlig Skyddad")
    for label in ("Gatuadress", "Postnummer", "Ort"):
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_value("")
        expect(field).to_have_accessible_description(
            "Adressen visas inte för personer med skyddade personuppgifter. Fyll i för att "
            "ändra den; lämna tomt för att behålla den."
        )
    for secret in ("Gömda vägen", "54321", "Gömstad"):
        assert secret not in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page).to_have_url(person_url)
    expect(message(page)).to_contain_text("Uppgifterna är sparade.")
    expect(page.locator("dl.facts")).to_contain_text("Skyddad – visas inte")
    assert_accessible(page)

    kept = Person.objects.get(pk=hidden.pk)
    assert (kept.street_address, kept.postal_code, kept.city) == (
        "Gömda vägen 9",
        "54321",
        "Gömstad",
    )
    assert not [
        entry.changes
        for entry in AuditEntry.objects.filter(object_type="people.person")
        if "Gömda" in str(entry.changes)
    ]
