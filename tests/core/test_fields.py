"""The shared model pieces (kinsight.core.fields): the mixins keep the schema as it was
and check a period's order before the database does."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from kinsight.cases.models import LegalReference
from kinsight.detection.models import DeadlineRule
from kinsight.interventions.models import Placement, PlanIntervention

DAY = datetime.date(2026, 3, 10)


@pytest.mark.parametrize("model", [Placement, PlanIntervention])
def test_period_end_before_start_is_refused_with_a_swedish_message(model):
    row = model(start_on=DAY, end_on=DAY - datetime.timedelta(days=1))

    with pytest.raises(ValidationError) as refused:
        row.clean()

    assert refused.value.message_dict == {"end_on": ["Slutdatum kan inte vara före startdatum."]}


@pytest.mark.parametrize("end_on", [None, DAY, DAY + datetime.timedelta(days=1)])
def test_period_open_or_in_order_is_accepted(end_on):
    Placement(start_on=DAY, end_on=end_on).clean()


@pytest.mark.parametrize("model", [Placement, PlanIntervention])
def test_period_keeps_each_models_constraint_name(model):
    names = {c.name for c in model._meta.constraints}

    assert f"{model._meta.model_name}_end_after_start" in names


def test_created_by_is_a_protected_staff_key_without_reverse_accessor():
    field = Placement._meta.get_field("created_by")

    assert field.related_model._meta.label == "core.User"
    assert field.remote_field.on_delete.__name__ == "PROTECT"
    assert field.remote_field.related_name == "+"
    assert not field.editable and not field.null


@pytest.mark.parametrize("model", [DeadlineRule, LegalReference])
def test_validity_ending_before_it_starts_is_refused(model):
    rule = model(valid_from=DAY, valid_to=DAY - datetime.timedelta(days=1))

    with pytest.raises(ValidationError) as refused:
        rule.clean()

    assert refused.value.message_dict == {"valid_to": ["Slutdatum kan inte vara före startdatum."]}


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "valid"),
    [(None, None, True), (DAY, None, True), (None, DAY, True), (DAY, DAY, True)]
    + [
        (DAY + datetime.timedelta(days=1), None, False),
        (None, DAY - datetime.timedelta(days=1), False),
    ],
)
def test_validity_covers_its_days_inclusive(valid_from, valid_to, valid):
    assert DeadlineRule(valid_from=valid_from, valid_to=valid_to).is_valid_on(DAY) is valid
