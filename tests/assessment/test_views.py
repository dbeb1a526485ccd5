import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinsight.assessment import services
from kinsight.assessment.models import AssessmentPart, Instrument, InstrumentResult
from kinsight.audit.models import AuditEntry
from kinsight.detection.models import ChildFlag, ChildRecord, ChildStatus
from kinsight.family.models import FamilyRole
from tests.assessment.conftest import consent, make_work


def _url(work):
    return f"/familjearenden/{work.pk}/bedomning/"


def _edit_url(work, key, unit):
    return f"/familjearenden/{work.pk}/bedomning/{key}/enhet/{unit.pk}/"


def _part(work, actor, unit, key, **data):
    return services.part_save(
        actor=actor, family_work=work, perspective_key=key, unit=unit, data=data, expected_version=0
    )


def test_it_lists_every_perspective_with_own_and_unshared_parts(
    work, worker, adult_unit, child_worker, child_unit, household, client, login
):
    anna = household["anna"]
    _part(work, worker, adult_unit, f"parent:{anna.pk}", needs="Behandling för alkohol")
    login(child_worker)
    page = client.get(_url(work))
    assert page.status_code == 200
    text = page.content.decode()
    for label in ("Parrelationen", "Familjen som helhet", "i relation till", "för egen del"):
        assert label in text
    assert "Behandling för alkohol" not in text
    assert "Delas inte – samtycke saknas" in text
    # Without consent the child unit does not see Anna's name either: her role instead.
    assert "Anna" not in text and "Förälder 1 för egen del" in text
    assert "Skriv bedömning" in text  # its own parts


def test_it_shows_another_units_part_read_only_under_consent(
    work, worker, adult_unit, child_worker, household, client, login
):
    anna = household["anna"]
    part = _part(work, worker, adult_unit, f"parent:{anna.pk}", needs="Behandling för alkohol")
    consent(work, anna, recorded_by=worker, unit=adult_unit)
    login(child_worker)
    text = client.get(_url(work)).content.decode()
    assert "Behandling för alkohol" in text and "Anna Åberg för egen del" in text
    assert _edit_url(work, part.perspective, adult_unit) not in text
    assert client.get(_edit_url(work, part.perspective, adult_unit)).status_code == 404
    rows = AuditEntry.objects.filter(object_type="assessment.assessmentpart", action="read")
    assert [r.changes["ids"] for r in rows.filter(actor=child_worker)] == [[str(part.pk)]]


def test_it_answers_404_to_those_not_taking_part(work, bystander, outsider, client, login):
    for user in (bystander, outsider):
        login(user)
        assert client.get(_url(work)).status_code == 404
        assert client.get(f"{_url(work)}utskrift.pdf").status_code == 404


def test_it_saves_the_own_part_from_the_form(work, worker, adult_unit, household, client, login):
    login(worker)
    key = f"child:{household['kim'].pk}"
    form = client.get(_edit_url(work, key, adult_unit))
    assert form.status_code == 200 and "Barnets egna ord" in form.content.decode()
    response = client.post(
        _edit_url(work, key, adult_unit),
        {
            "needs": "Avlastning",
            "child_words": "Jag lagar maten",
            "protective_factors": [],
            "version": 0,
        },
    )
    assert response.status_code == 302
    part = AssessmentPart.objects.get(perspective=key)
    assert (part.needs, part.child_words, part.unit) == (
        "Avlastning",
        "Jag lagar maten",
        adult_unit,
    )


def test_it_keeps_the_text_and_says_so_on_a_stale_edit(
    work, worker, colleague, adult_unit, client, login
):
    part = _part(work, worker, adult_unit, "family", needs="Först")
    _part_v2 = services.part_save(
        actor=colleague,
        family_work=work,
        perspective_key="family",
        unit=adult_unit,
        data={"needs": "Kollegan"},
        expected_version=part.version,
    )
    login(worker)
    response = client.post(
        _edit_url(work, "family", adult_unit),
        {"version": part.version, "needs": "Min långa text som inte får försvinna"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Någon annan har sparat" in text
    assert "Min långa text som inte får försvinna" in text
    assert AssessmentPart.objects.get(pk=part.pk).needs == "Kollegan" == _part_v2.needs


def test_it_explains_a_perspective_the_family_does_not_have(
    municipality, worker, adult_unit, household, client, login
):
    single = make_work(
        municipality,
        worker,
        [(household["anna"], FamilyRole.PARENT_1), (household["kim"], FamilyRole.CHILD)],
        [(adult_unit, worker)],
    )
    login(worker)
    page = client.get(_url(single)).content.decode()
    assert "Parrelationen" not in page
    anna, per = household["anna"], household["per"]
    response = client.get(_edit_url(single, f"couple:{anna.pk}:{per.pk}", adult_unit))
    assert response.status_code == 400
    assert "ingen parrelation att bedöma" in response.content.decode()


def test_it_scores_audit_from_the_instrument_form(
    work, worker, adult_unit, household, client, login
):
    part = _part(work, worker, adult_unit, f"parent:{household['anna'].pk}", needs="x")
    audit = Instrument.objects.get(code="audit", municipality=None)
    login(worker)
    url = f"/bedomningsdelar/{part.pk}/instrument/{audit.pk}/"
    assert "Hur ofta dricker du alkohol?" in client.get(url).content.decode()
    scores = [3, 2, 2, 2, 1, 0, 2, 1, 2, 2]
    data = {f"item_{n}": s for n, s in enumerate(scores, start=1)}
    missing = client.post(url, {**data, "item_10": "", "sex": "male"})
    assert missing.status_code == 400 and "Besvara fråga 10" in missing.content.decode()
    response = client.post(url, {**data, "sex": "male"}, follow=True)
    assert "summa 17" in response.content.decode()
    result = InstrumentResult.objects.get()
    assert (result.total_score, result.cutoff_label) == (17, "Skadligt bruk")


def test_it_shows_young_carer_and_interpreter_flags_in_the_childs_perspective(
    work, worker, adult_unit, open_case, household, client, login
):
    kim, anna = household["kim"], household["anna"]
    record = ChildRecord.objects.create(
        municipality=work.municipality,
        case=open_case,
        unit=adult_unit,
        parent=anna,
        child=kim,
        first_name="Kim",
        birth_year=kim.birth_date.year,
        birth_date=kim.birth_date,
        status=ChildStatus.IDENTIFIED,
    )
    for kind in ("young_carer", "child_interpreter"):
        ChildFlag.objects.create(
            municipality=work.municipality,
            record=record,
            kind=kind,
            noted_on=datetime.date.today(),
            noted_by=worker,
        )
    login(worker)
    text = client.get(_url(work)).content.decode()
    assert "Ung omsorgsgivare" in text and "Barntolkning" in text
    assert "Ålder: 8 år" in text and "7–12 år" in text


def test_it_reads_the_page_in_the_same_number_of_queries_at_1_and_many_parts(
    work,
    worker,
    adult_unit,
    child_worker,
    child_unit,
    econ_worker,
    econ_unit,
    household,
    client,
    login,
):
    keys = [p.key for p in work.perspectives()]
    for person in household.values():
        consent(work, person, recorded_by=worker, unit=adult_unit)
    audit = Instrument.objects.get(code="audit", municipality=None)

    def page_queries():
        client.get(_url(work))  # warm per-request caches of the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(work)).status_code == 200
        return len(captured.captured_queries)

    login(child_worker)
    _part(work, child_worker, child_unit, keys[0], needs="Behov")
    one = page_queries()
    writers = [(worker, adult_unit), (child_worker, child_unit), (econ_worker, econ_unit)]
    for key in keys:
        for actor, unit in writers:
            part = AssessmentPart.objects.filter(perspective=key, unit=unit).first()
            if part is None:
                part = _part(work, actor, unit, key, needs="Behov", risk_factors="Risk")
            if key.startswith("parent:"):
                services.instrument_result_record(
                    actor=actor,
                    part=part,
                    instrument=audit,
                    answers={str(n): 0 for n in range(1, 11)},
                    sex="female",
                )
    assert AssessmentPart.objects.count() == len(keys) * 3
    many = page_queries()
    assert many == one
    assert one <= 40


def test_it_is_linked_from_the_family_work_page(work, worker, client, login):
    login(worker)
    page = client.get(f"/familjearenden/{work.pk}/").content.decode()
    assert _url(work) in page
