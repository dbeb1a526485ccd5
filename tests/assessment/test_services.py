import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinsight.assessment import services
from kinsight.assessment.models import AssessmentPart, ProtectiveFactor
from kinsight.audit.models import AuditEntry
from kinsight.core.services import StaleEdit
from kinsight.family.models import FamilyRole
from tests.assessment.conftest import make_work


def test_it_seeds_the_protective_factors_of_seed_001(db):
    labels = list(
        ProtectiveFactor.objects.filter(municipality=None).values_list("label", flat=True)
    )
    assert len(labels) == 7
    assert labels[0] == "Adekvat information och svar på frågor"
    assert any("stödjande vuxen" in label for label in labels)
    assert any("skolarbetet" in label for label in labels)


def test_it_saves_a_part_with_protective_factors_and_audits_it(work, worker, adult_unit, household):
    factors = list(ProtectiveFactor.objects.filter(code__in=["school_support", "friends_leisure"]))
    key = f"child:{household['kim'].pk}"
    part = services.part_save(
        actor=worker,
        family_work=work,
        perspective_key=key,
        unit=adult_unit,
        data={"needs": "Stöd i skolan", "child_words": "Jag vill spela fotboll."},
        protective_factors=factors,
        expected_version=0,
    )
    assert part.person == household["kim"] and part.kind == "child"
    assert set(part.protective_factors.all()) == set(factors)
    entry = AuditEntry.objects.filter(object_type="assessment.assessmentpart").get()
    assert entry.action == "create" and entry.object_id == str(part.pk)
    assert entry.changes["child_words"] == [None, "Jag vill spela fotboll."]

    updated = services.part_save(
        actor=worker,
        family_work=work,
        perspective_key=key,
        unit=adult_unit,
        data={"needs": "Stöd i skolan och på fritiden"},
        protective_factors=factors[:1],
        expected_version=part.version,
    )
    assert updated.version == 2
    last = AuditEntry.objects.filter(object_type="assessment.assessmentpart").last()
    assert last.action == "update"
    assert "needs" in last.changes and "protective_factors" in last.changes


def test_it_refuses_a_stale_edit_and_keeps_the_saved_text(work, worker, colleague, adult_unit):
    first = services.part_save(
        actor=worker,
        family_work=work,
        perspective_key="family",
        unit=adult_unit,
        data={},
        expected_version=0,
    )
    services.part_save(
        actor=colleague,
        family_work=work,
        perspective_key="family",
        unit=adult_unit,
        data={"needs": "Kollegans text"},
        expected_version=first.version,
    )
    with pytest.raises(StaleEdit):
        services.part_save(
            actor=worker,
            family_work=work,
            perspective_key="family",
            unit=adult_unit,
            data={"needs": "Min text"},
            expected_version=first.version,
        )
    assert AssessmentPart.objects.get(pk=first.pk).needs == "Kollegans text"


def test_it_refuses_a_couple_part_for_a_single_parent(municipality, worker, adult_unit, household):
    single = make_work(
        municipality,
        worker,
        [(household["anna"], FamilyRole.PARENT_1), (household["kim"], FamilyRole.CHILD)],
        [(adult_unit, worker)],
    )
    anna, per = household["anna"], household["per"]
    with pytest.raises(ValidationError) as error:
        services.part_save(
            actor=worker,
            family_work=single,
            perspective_key=f"couple:{anna.pk}:{per.pk}",
            unit=adult_unit,
            data={"needs": "x"},
            expected_version=0,
        )
    assert "parrelation" in str(error.value)
    assert not AssessmentPart.objects.exists()


def test_it_lets_a_unit_write_only_its_own_part(
    work, child_worker, adult_unit, bystander, other_unit
):
    with pytest.raises(PermissionDenied):
        services.part_save(
            actor=child_worker,
            family_work=work,
            perspective_key="family",
            unit=adult_unit,
            data={},
            expected_version=0,
        )
    with pytest.raises(PermissionDenied):
        services.part_save(
            actor=bystander,
            family_work=work,
            perspective_key="family",
            unit=other_unit,
            data={},
            expected_version=0,
        )


def test_it_lets_administrators_extend_the_catalogue_for_their_municipality(
    administrator, worker, outsider
):
    factor = services.protective_factor_add(
        actor=administrator, code="idrott", label="Barnet går på idrottsträning"
    )
    assert ProtectiveFactor.objects.visible_to(worker, "view").filter(pk=factor.pk).exists()
    assert not ProtectiveFactor.objects.visible_to(outsider, "view").filter(pk=factor.pk)
    shipped = ProtectiveFactor.objects.filter(municipality=None).first()
    assert not ProtectiveFactor.objects.visible_to(administrator, "change").filter(pk=shipped.pk)
    services.protective_factor_set_active(actor=administrator, factor=factor, is_active=False)
    assert not ProtectiveFactor.objects.visible_to(worker, "view").active().filter(pk=factor.pk)
    with pytest.raises(PermissionDenied):
        services.protective_factor_add(actor=worker, code="x", label="x")
    assert AuditEntry.objects.filter(object_type="assessment.protectivefactor").count() == 2
