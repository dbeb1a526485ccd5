"""Instruments as data: AUDIT and DUDIT scored from the seeded items, options and
cut-offs; licensed instruments configured by the customer as scores only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinsight.assessment import services
from kinsight.assessment.models import Instrument, InstrumentItem, InstrumentResult
from kinsight.audit.models import AuditEntry


def _instrument(code):
    return Instrument.objects.get(municipality=None, code=code)


def _answers(scores):
    return {str(n): s for n, s in enumerate(scores, start=1)}


def test_it_ships_only_free_instruments_with_their_text(db):
    shipped = Instrument.objects.filter(municipality=None)
    assert set(shipped.values_list("code", flat=True)) == {"audit", "dudit", "who5"}
    audit, dudit, who5 = _instrument("audit"), _instrument("dudit"), _instrument("who5")
    assert audit.items.count() == 10 and dudit.items.count() == 11 and who5.items.count() == 5
    assert audit.max_total == 40 and dudit.max_total == 44 and who5.max_total == 25
    assert not audit.higher_is_better and who5.higher_is_better
    assert all(item.text for item in InstrumentItem.objects.filter(instrument__in=shipped))
    for code in ("asi", "sdq", "bbic"):
        assert not Instrument.objects.filter(code__icontains=code).exists()


@pytest.mark.parametrize(
    ("scores", "sex", "total", "label"),
    [
        ([0] * 10, "female", 0, "Låg risk"),
        ([2, 1, 1, 1, 0, 0, 1, 0, 0, 0], "female", 6, "Riskbruk"),
        ([2, 1, 1, 1, 0, 0, 1, 0, 0, 0], "male", 6, "Låg risk"),
        ([2, 1, 1, 1, 1, 0, 1, 1, 0, 0], "male", 8, "Riskbruk"),
        ([3, 2, 2, 2, 1, 0, 2, 1, 2, 2], "male", 17, "Skadligt bruk"),
        ([4] * 10, "female", 40, "Möjligt beroende"),
    ],
)
def test_it_scores_audit_with_sex_specific_cutoffs(db, scores, sex, total, label):
    stored, got_total, got_label = services.instrument_score(
        instrument=_instrument("audit"), answers=_answers(scores), sex=sex
    )
    assert (got_total, got_label) == (total, label)
    assert stored == _answers(scores)


@pytest.mark.parametrize(
    ("scores", "sex", "total", "label"),
    [
        ([0] * 11, "male", 0, "Inga tecken på drogrelaterade problem"),
        ([1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2], "female", 4, "Troliga drogrelaterade problem"),
        ([1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2], "male", 4, "Inga tecken på drogrelaterade problem"),
        ([2, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0], "male", 6, "Troliga drogrelaterade problem"),
        ([3, 3, 3, 3, 3, 2, 2, 2, 0, 2, 2], "female", 25, "Troligt beroende"),
        ([4] * 11, "male", 44, "Troligt beroende"),
    ],
)
def test_it_scores_dudit(db, scores, sex, total, label):
    _, got_total, got_label = services.instrument_score(
        instrument=_instrument("dudit"), answers=_answers(scores), sex=sex
    )
    assert (got_total, got_label) == (total, label)


def test_it_says_which_answers_are_missing_or_wrong(db):
    answers = _answers([0, 0, 0, 0, 0, 0, 0, 0, 3])  # item 9 has 0, 2 or 4; no item 10
    with pytest.raises(ValidationError) as error:
        services.instrument_score(instrument=_instrument("audit"), answers=answers, sex="male")
    text = " ".join(error.value.message_dict["answers"])
    assert "Besvara fråga 10" in text and "fråga 9" in text


def test_it_asks_for_sex_when_the_cutoffs_depend_on_it(db):
    with pytest.raises(ValidationError) as error:
        services.instrument_score(instrument=_instrument("audit"), answers=_answers([0] * 10))
    assert "sex" in error.value.message_dict


def test_it_records_a_result_on_the_own_parents_part_and_audits_it(
    work, worker, adult_unit, household, child_worker
):
    part = services.part_save(
        actor=worker,
        family_work=work,
        perspective_key=f"parent:{household['anna'].pk}",
        unit=adult_unit,
        data={"needs": "Stöd"},
        expected_version=0,
    )
    result = services.instrument_result_record(
        actor=worker,
        part=part,
        instrument=_instrument("audit"),
        answers=_answers([2, 1, 1, 1, 0, 0, 1, 0, 0, 0]),
        sex="female",
    )
    assert (result.total_score, result.cutoff_label) == (6, "Riskbruk")
    entry = AuditEntry.objects.get(object_type="assessment.instrumentresult")
    assert entry.action == "create" and entry.changes["total_score"] == [None, 6]
    with pytest.raises(PermissionDenied):
        services.instrument_result_record(
            actor=child_worker,
            part=part,
            instrument=_instrument("audit"),
            answers=_answers([0] * 10),
            sex="female",
        )
    family = services.part_save(
        actor=worker,
        family_work=work,
        perspective_key="family",
        unit=adult_unit,
        data={},
        expected_version=0,
    )
    with pytest.raises(ValidationError):
        services.instrument_result_record(
            actor=worker,
            part=family,
            instrument=_instrument("audit"),
            answers=_answers([0] * 10),
            sex="female",
        )


def test_it_lets_a_licensed_customer_configure_a_score_only_instrument(
    administrator, worker, work, adult_unit, household, outsider
):
    sdq = services.instrument_configure(
        actor=administrator,
        code="sdq-poang",
        name="SDQ (endast poäng, kommunens licens)",
        licence_note="Licens enligt kommunens avtal. Ingen frågetext lagras.",
        areas=[("Område A", 0, 10), ("Område B", 0, 10), ("Område C", 0, 10)],
        cutoffs=[("Normalt", 0, 13, ""), ("Gränsfall", 14, 16, ""), ("Avvikande", 17, 30, "")],
        for_adults=False,
        for_children=True,
    )
    assert sdq.is_licensed_text_included is False
    assert not sdq.items.exclude(text="").exists()
    assert not sdq.items.filter(options__isnull=False).exists()
    with pytest.raises(ValidationError):
        InstrumentItem(instrument=sdq, number=9, label="x", text="Upphovsrättsskyddad").full_clean()

    part = services.part_save(
        actor=worker,
        family_work=work,
        perspective_key=f"child:{household['kim'].pk}",
        unit=adult_unit,
        data={},
        expected_version=0,
    )
    result = services.instrument_result_record(
        actor=worker, part=part, instrument=sdq, answers={"1": 7, "2": 6, "3": 2}
    )
    assert (result.total_score, result.cutoff_label) == (15, "Gränsfall")
    with pytest.raises(ValidationError):
        services.instrument_score(instrument=sdq, answers={"1": 11, "2": 0, "3": 0})
    # Another municipality neither sees nor uses it; a case worker cannot configure one.
    assert not Instrument.objects.visible_to(outsider, "view").filter(pk=sdq.pk).exists()
    with pytest.raises(PermissionDenied):
        services.instrument_configure(
            actor=worker, code="asi", name="ASI", licence_note="", areas=[("A", 0, 9)]
        )
    assert InstrumentResult.objects.filter(instrument=sdq).count() == 1
