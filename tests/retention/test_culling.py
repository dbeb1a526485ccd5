"""Two approvals by two administrators, then the culling in batches: the files go,
what others' files hold stays, the record counts kinds and names no one, a restart
continues where it stopped, and every step is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kinsight.audit.models import AuditEntry, AuditSubject
from kinsight.cases.models import Case, CaseStatus
from kinsight.detection.models import ConcernReport
from kinsight.family.models import Consent, FamilyWork
from kinsight.people.models import Person
from kinsight.retention import cull, services
from kinsight.retention.models import CullingRecord, ProposalItem, ProposalStatus
from tests.audit.helpers import write_statements
from tests.dpo.conftest import build_everything
from tests.people import factories as pf
from tests.retention.conftest import DAY, old_file, years_after

pytestmark = pytest.mark.usefixtures("rules")
LATER = years_after(DAY, 6)


def approve_twice(proposal, first, second):
    services.proposal_approve(actor=first, proposal=proposal, expected_version=proposal.version)
    return services.proposal_approve(
        actor=second, proposal=proposal, expected_version=proposal.version
    )


def test_the_second_approval_must_be_another_administrator(municipality, adults, administrator):
    old_file(municipality, adults)
    proposal = services.proposal_create(municipality.pk, LATER)
    services.proposal_approve(actor=administrator, proposal=proposal, expected_version=1)
    assert proposal.status == ProposalStatus.APPROVED_ONCE
    with pytest.raises(ValidationError, match="En annan systemförvaltare"):
        services.proposal_approve(actor=administrator, proposal=proposal, expected_version=2)
    assert Person.objects.count() == 1


def test_two_administrators_approve_and_the_files_are_culled(
    municipality, adults, administrator, second_administrator
):
    culled = [old_file(municipality, adults) for _ in range(3)]
    proposal = services.proposal_create(municipality.pk, LATER)
    approve_twice(proposal, administrator, second_administrator)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DONE
    assert (proposal.culled, proposal.skipped, proposal.progress) == (3, 0, 100)
    assert not Person.objects.filter(pk__in=[p.pk for p in culled]).exists()
    records = {r.kind: r.count for r in CullingRecord.objects.filter(proposal=proposal)}
    assert records["personer"] == 3 and records["ärenden"] == 3
    record = CullingRecord.objects.filter(proposal=proposal).first()
    assert (record.first_approved_by, record.second_approved_by) == (
        administrator,
        second_administrator,
    )


def test_either_administrator_may_reject_with_a_reason(municipality, adults, administrator):
    old_file(municipality, adults)
    proposal = services.proposal_create(municipality.pk, LATER)
    with pytest.raises(ValidationError, match="varför"):
        services.proposal_reject(
            actor=administrator, proposal=proposal, expected_version=1, reason=""
        )
    services.proposal_reject(
        actor=administrator, proposal=proposal, expected_version=1, reason="Fel regel"
    )
    assert proposal.status == ProposalStatus.REJECTED
    with pytest.raises(ValidationError, match="inte längre öppet"):
        services.proposal_approve(actor=administrator, proposal=proposal, expected_version=2)


def test_a_worker_may_not_approve(municipality, adults, worker):
    old_file(municipality, adults)
    proposal = services.proposal_create(municipality.pk, LATER)
    with pytest.raises(PermissionDenied):
        services.proposal_approve(actor=worker, proposal=proposal, expected_version=1)


def test_a_file_no_longer_due_is_skipped(municipality, adults, administrator, second_administrator):
    person = old_file(municipality, adults)
    proposal = services.proposal_create(municipality.pk, LATER)
    Case.objects.filter(person=person).update(status=CaseStatus.INVESTIGATION)
    approve_twice(proposal, administrator, second_administrator)
    proposal.refresh_from_db()
    assert (proposal.culled, proposal.skipped) == (0, 1)
    assert Person.objects.filter(pk=person.pk).exists()


def test_culling_a_parent_leaves_the_family_and_the_childs_report(
    municipality, worker, adults, org, administrator, second_administrator
):
    made = build_everything(
        pf.person(municipality, "Anna", "Åberg"), worker, adults, org["district"]
    )
    today = timezone.localdate()
    Case.objects.filter(pk=made["case"].pk).update(status=CaseStatus.CLOSED, closed_on=today)
    proposal = services.proposal_create(municipality.pk, years_after(today, 7))
    assert set(proposal.items.values_list("person_id", flat=True)) == {made["anna"].pk}
    approve_twice(proposal, administrator, second_administrator)
    assert not Person.objects.filter(pk=made["anna"].pk).exists()
    assert Person.objects.filter(pk=made["kim"].pk).exists()
    assert FamilyWork.objects.get().from_case is None
    assert Consent.objects.get(person=made["kim"]).given_by is None
    assert ConcernReport.objects.get().child_record is None


def test_batches_restart_where_they_stopped(
    municipality, adults, administrator, second_administrator, settings, monkeypatch
):
    settings.KINSIGHT_RETENTION_BATCH = 2
    persons = [old_file(municipality, adults) for _ in range(5)]
    proposal = services.proposal_create(municipality.pk, LATER)
    real, calls = cull.cull, []

    def crash_on_the_second_batch(ids):
        calls.append(ids)
        if len(calls) == 2:
            raise RuntimeError("worker stopped")
        return real(ids)

    monkeypatch.setattr(cull, "cull", crash_on_the_second_batch)
    approve_twice(proposal, administrator, second_administrator)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.FAILED and proposal.culled == 2
    assert "starta igen" in proposal.message
    assert Person.objects.count() == 3
    services.proposal_restart(actor=administrator, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DONE and proposal.culled == 5
    assert not Person.objects.filter(pk__in=[p.pk for p in persons]).exists()
    states = set(ProposalItem.objects.values_list("state", flat=True))
    assert states == {ProposalItem.State.CULLED}
    records = {r.kind: r.count for r in CullingRecord.objects.all()}
    assert records["personer"] == 5
    # Run again after it finished: nothing happens, no second record.
    from kinsight.retention.run import proposal_cull

    proposal_cull(proposal.pk)
    assert CullingRecord.objects.filter(kind="personer").count() == 1


def test_every_step_is_audited_and_the_culling_rows_name_no_one(
    municipality, adults, administrator, second_administrator
):
    old_file(municipality, adults)
    proposal = services.proposal_create(municipality.pk, LATER)
    approve_twice(proposal, administrator, second_administrator)
    rows = AuditEntry.objects.filter(object_type="retention.proposal", object_id=str(proposal.pk))
    actions = [(r.actor_id, r.action) for r in rows.order_by("seq")]
    assert actions == [
        (None, "create"),
        (administrator.pk, "update"),
        (second_administrator.pk, "update"),
        (second_administrator.pk, "delete"),
    ]
    culling = rows.get(action="delete")
    assert culling.changes["culled"]["people.Person"] == 1
    assert not AuditSubject.objects.filter(entry=culling).exists()


def test_the_chain_still_verifies_after_culling(
    municipality, adults, administrator, second_administrator
):
    from kinsight.audit.verify import verify_chain

    old_file(municipality, adults)
    approve_twice(
        services.proposal_create(municipality.pk, LATER), administrator, second_administrator
    )
    with transaction.atomic():
        assert verify_chain(municipality.pk) is None


def test_a_hold_names_its_person_in_the_log(municipality, adults, administrator):
    person = old_file(municipality, adults)
    hold = services.hold_create(actor=administrator, person_id=person.pk, reason="Tvist")
    entry = AuditEntry.objects.get(object_type="retention.legalhold", object_id=str(hold.pk))
    assert list(AuditSubject.objects.filter(entry=entry).values_list("person_id", flat=True)) == [
        person.pk
    ]
    services.hold_end(actor=administrator, hold=hold)
    with pytest.raises(ValidationError, match="redan avslutad"):
        services.hold_end(actor=administrator, hold=hold)


@pytest.mark.parametrize("files", [1, 3])
def test_a_batch_costs_the_same_whatever_its_number_of_files(
    municipality, adults, administrator, second_administrator, files, django_assert_num_queries
):
    for _ in range(files):
        old_file(municipality, adults)
    proposal = services.proposal_create(municipality.pk, LATER)
    services.proposal_approve(actor=administrator, proposal=proposal, expected_version=1)
    from kinsight.retention import tasks

    with django_assert_num_queries(CULL_QUERIES):
        services.proposal_approve(actor=second_administrator, proposal=proposal, expected_version=2)
    assert not Person.objects.exists()
    assert tasks.propose_retention.enqueue(municipality.pk) is not None


# The approval, one batch (a statement or two per model reached), the records, and the
# batch's audit row.
CULL_QUERIES = 55 + write_statements()


def test_a_culling_lost_with_its_worker_may_be_started_again_after_hours(
    municipality, adults, administrator, second_administrator, settings
):
    import datetime

    from kinsight.retention.models import Proposal

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    old_file(municipality, adults)
    proposal = approve_twice(
        services.proposal_create(municipality.pk, LATER), administrator, second_administrator
    )
    assert proposal.status == ProposalStatus.QUEUED
    with pytest.raises(ValidationError, match="avbrutits"):
        services.proposal_restart(actor=administrator, proposal=proposal)
    lost = timezone.now() - datetime.timedelta(hours=7)
    Proposal.objects.filter(pk=proposal.pk).update(second_approved_at=lost)
    proposal.refresh_from_db()
    assert proposal.may_restart
    services.proposal_restart(actor=administrator, proposal=proposal)
    from kinsight.retention.run import proposal_cull

    proposal_cull(proposal.pk)  # the worker's turn (the dummy backend only holds the queue)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DONE and not Person.objects.exists()
