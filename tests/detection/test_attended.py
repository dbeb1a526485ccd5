"""Issue 9 §4: "attended" (uppmärksammat) counts what the dashboard says it counts —
the parent talked with about the child AND the child given age-appropriate
information, or that marked not applicable with a reason (docs/concepts.md)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.detection import services
from kinsight.detection.models import ChildRecordStep
from kinsight.followup.minimum_level import figures_by_unit


def attend(worker, record, **kwargs):
    return services.child_record_step(
        actor=worker, record=record, status="attended", expected_version=record.version, **kwargs
    )


def figures(record):
    found = figures_by_unit(municipality_id=record.municipality_id, end=timezone.localdate())
    return found[record.unit_id]


def test_a_child_with_only_the_parent_talk_is_not_attended(worker, kim_record):
    with pytest.raises(ValidationError) as error:
        attend(worker, kim_record, parent_talked_with=True)
    assert "information anpassad efter ålder" in error.value.message_dict["child_information"][0]
    kim_record.refresh_from_db()
    assert kim_record.status == "identified" and kim_record.attended_on is None
    assert (figures(kim_record).children, figures(kim_record).attended) == (1, 0)


def test_the_parent_talk_and_the_childs_information_make_the_child_attended(worker, kim_record):
    attend(worker, kim_record, parent_talked_with=True, child_information="given")
    kim_record.refresh_from_db()
    assert kim_record.status == "attended" and kim_record.attended_on == timezone.localdate()
    assert (figures(kim_record).children, figures(kim_record).attended) == (1, 1)


def test_information_not_applicable_with_a_reason_counts_as_attended(worker, unknown_child):
    step = attend(
        worker,
        unknown_child,
        parent_talked_with=True,
        child_information="not_applicable",
        child_information_reason="Spädbarn",
    )
    assert (step.child_information, step.child_information_reason) == (
        "not_applicable",
        "Spädbarn",
    )
    assert figures(unknown_child).attended == 1
    created = AuditEntry.objects.get(
        action="create", object_type="detection.childrecordstep", object_id=str(step.pk)
    )
    assert created.changes["child_information"] == [None, "not_applicable"]


def test_not_applicable_without_a_reason_is_refused_with_a_clear_message(worker, kim_record):
    with pytest.raises(ValidationError) as error:
        attend(worker, kim_record, parent_talked_with=True, child_information="not_applicable")
    message = error.value.message_dict["child_information_reason"][0]
    assert message.startswith("Skriv varför information till barnet inte är tillämplig")
    assert not ChildRecordStep.objects.filter(status="attended").exists()


def test_the_information_without_the_parent_talk_is_not_attended_either(worker, kim_record):
    with pytest.raises(ValidationError) as error:
        attend(worker, kim_record, child_information="given")
    assert "pratat med föräldern" in error.value.message_dict["parent_talked_with"][0]


def test_the_step_form_says_what_is_missing(client, login, worker, kim_record):
    login(worker)
    response = client.post(
        reverse("detection:child_step", args=[kim_record.pk]),
        {
            "version": kim_record.version,
            "status": "attended",
            "on": timezone.localdate().isoformat(),
            "parent_talked_with": "on",
        },
    )
    assert response.status_code == 400
    assert "Uppmärksammat räknas först när barnet också har fått information" in (
        response.content.decode()
    )
    kim_record.refresh_from_db()
    assert kim_record.status == "identified"


def test_the_form_records_not_applicable_and_the_child_page_shows_the_reason(
    client, login, worker, unknown_child
):
    login(worker)
    url = reverse("detection:child_step", args=[unknown_child.pk])
    response = client.post(
        url,
        {
            "version": unknown_child.version,
            "status": "attended",
            "on": timezone.localdate().isoformat(),
            "parent_talked_with": "on",
            "child_information": "not_applicable",
            "child_information_reason": "Barnet är nyfött",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("detection:child_detail", args=[unknown_child.pk])).content
    assert "Information till barnet ej tillämplig: Barnet är nyfött" in page.decode()


def test_the_api_refuses_not_applicable_without_a_reason(client, login, worker, kim_record):
    login(worker)
    response = client.post(
        f"/api/v1/child-records/{kim_record.pk}/step/",
        {
            "status": "attended",
            "version": kim_record.version,
            "parent_talked_with": True,
            "child_information": "not_applicable",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "child_information_reason" in response.json()


def test_the_dashboard_states_both_parts(client, login, manager):
    login(manager)
    html = client.get(reverse("followup:minimum_level")).content.decode()
    assert "föräldern har fått samtal om barnets situation och barnet har fått" in html
    assert "inte tillämplig av ett angivet skäl" in html
