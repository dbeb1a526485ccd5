"""forms_flow.call_with: the form's cleaned data as a service's keyword arguments."""

from kinsight.ui.forms_flow import call_with


def _service(**kwargs):
    return kwargs


def test_it_passes_the_named_fields_and_the_given_arguments():
    call = call_with(_service, "on", "note", actor="worker")
    data = {"on": "2026-01-02", "note": "text", "other": "left out"}
    assert call(data) == {"actor": "worker", "on": "2026-01-02", "note": "text"}


def test_it_passes_the_form_version_as_the_expected_one():
    call = call_with(_service, "version", "end_on", placement="p")
    assert call({"version": 3, "end_on": None}) == {
        "placement": "p",
        "expected_version": 3,
        "end_on": None,
    }


def test_it_passes_a_plan_version_as_the_expected_one():
    call = call_with(_service, "plan_version", "text")
    assert call({"plan_version": 0, "text": "Mål"}) == {"expected_version": 0, "text": "Mål"}
