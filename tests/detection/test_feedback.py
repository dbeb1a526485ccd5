"""Issue 9 §4: the feedback clock to the reporter (SoL 2025:400 19 kap. 6 §). A reporter
who asked for it, and is not anonymous, hears within a week of the decision whether an
investigation was opened: a DeadlineRule like the others, a work-queue group
("Återkoppling till anmälaren") with the due date, cleared by recorded feedback."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.detection import services
from kinsight.detection.models import DeadlineRule
from kinsight.followup import queue

today = timezone.localdate
migration = importlib.import_module(
    "kinsight.detection.migrations.0004_migrate_child_information_records_feedback"
)


def register(child_worker, child_unit, category="school", feedback=True):
    return services.concern_report_register(
        actor=child_worker,
        receiving_unit=child_unit,
        reporter_category=category,
        reporter_name="" if category == "anonymous" else "Rektor",
        child_name="Ella",
        child_age=9,
        concern="Skolan är orolig",
        received_on=today() - datetime.timedelta(days=3),
        feedback_requested=feedback,
    )


def decide(child_worker, report, decision="open_investigation", days_ago=1):
    return services.concern_report_pre_assessment(
        actor=child_worker,
        report=report,
        decision=decision,
        decided_on=today() - datetime.timedelta(days=days_ago),
        expected_version=report.version,
    )


def awaiting(user):
    return list(queue.feedback(user, queue.Scope(queue.MINE), today()))


def test_the_decision_starts_the_feedback_clock_from_its_rule(child_worker, child_unit):
    report = decide(child_worker, register(child_worker, child_unit), "no_investigation", 2)
    assert report.feedback_rule.code == DeadlineRule.FEEDBACK
    assert report.feedback_due_on == today() + datetime.timedelta(days=5)
    references = [str(r) for r in report.feedback_rule.legal_references(today())]
    assert any("19 kap. 6 §" in r for r in references)
    assert awaiting(child_worker) == [report]


@pytest.mark.parametrize(("category", "asked"), [("anonymous", True), ("school", False)])
def test_no_clock_without_a_request_or_for_an_anonymous_reporter(
    child_worker, child_unit, category, asked
):
    report = decide(child_worker, register(child_worker, child_unit, category, asked))
    assert report.feedback_due_on is None and awaiting(child_worker) == []


def test_recorded_feedback_clears_it_and_is_audited(child_worker, child_unit):
    report = decide(child_worker, register(child_worker, child_unit))
    services.concern_report_feedback(
        actor=child_worker, report=report, given_on=today(), expected_version=report.version
    )
    report.refresh_from_db()
    assert (report.feedback_given_on, report.feedback_given_by) == (today(), child_worker)
    assert awaiting(child_worker) == []
    entry = AuditEntry.objects.filter(action="update", object_id=str(report.pk)).last()
    assert entry.changes["feedback_given_on"] == [None, str(today())]
    with pytest.raises(ValidationError) as error:
        services.concern_report_feedback(
            actor=child_worker, report=report, given_on=today(), expected_version=report.version
        )
    assert "Ingen återkoppling väntar" in error.value.message_dict["given_on"][0]


def test_feedback_before_the_decision_or_in_the_future_is_refused(child_worker, child_unit):
    report = decide(child_worker, register(child_worker, child_unit), days_ago=1)
    for day, text in [
        (today() - datetime.timedelta(2), "före beslutet"),
        (today() + datetime.timedelta(1), "framtiden"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.concern_report_feedback(
                actor=child_worker, report=report, given_on=day, expected_version=report.version
            )
        assert text in error.value.message_dict["given_on"][0]


def test_the_queue_shows_it_with_its_due_date_and_the_page_records_it(
    client, login, child_worker, child_unit
):
    report = decide(child_worker, register(child_worker, child_unit))
    login(child_worker)
    html = client.get("/att-gora/", {"group": "feedback"}).content.decode()
    assert "Återkoppling till anmälaren" in html and "Ge återkoppling till anmälaren" in html
    assert f"{report.feedback_due_on:%Y-%m-%d}" in html
    detail = client.get(reverse("detection:report_detail", args=[report.pk])).content.decode()
    assert "Spara återkopplingen" in detail
    url = reverse("detection:report_feedback", args=[report.pk])
    bad = client.post(url, {"version": report.version, "given_on": "2000-01-01"})
    assert bad.status_code == 400 and "före beslutet" in bad.content.decode()
    response = client.post(url, {"version": report.version, "given_on": today().isoformat()})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.feedback_given_by == child_worker


def test_the_page_is_404_to_the_unit_without_the_report(
    client, login, worker, child_worker, child_unit
):
    report = decide(child_worker, register(child_worker, child_unit))
    login(worker)
    url = reverse("detection:report_feedback", args=[report.pk])
    assert client.post(url, {"version": report.version, "given_on": today()}).status_code == 404


def test_the_api_records_feedback(client, login, child_worker, child_unit):
    report = decide(child_worker, register(child_worker, child_unit))
    login(child_worker)
    response = client.post(
        f"/api/v1/concern-reports/{report.pk}/feedback/",
        {"given_on": today().isoformat(), "version": report.version},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["feedback_given_on"] == today().isoformat()


def test_the_migration_gives_the_rule_its_own_legal_reference(child_worker, child_unit):
    report = decide(child_worker, register(child_worker, child_unit))
    type(report).objects.filter(pk=report.pk).update(feedback_due_on=None, feedback_rule=None)
    migration.feedback(apps)
    report.refresh_from_db()
    assert report.feedback_due_on == report.pre_assessment_decided_on + datetime.timedelta(7)
    assert DeadlineRule.objects.get(code="feedback").legal_topic == migration.FEEDBACK_TOPIC
