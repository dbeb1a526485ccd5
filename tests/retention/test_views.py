"""The administrator's retention pages: who sees them (404 for everyone else and for
another municipality's administrator), the preview with its audited sample, the two
approvals through the pages, a rule's form, holds, and what the pages cost."""

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry, AuditSubject
from kinsight.people.models import Person
from kinsight.retention import services
from kinsight.retention.models import CullingRecord, LegalHold, Proposal, RetentionRule, RuleKind
from tests.audit.helpers import write_statements
from tests.retention.conftest import DAY, old_file, years_after

pytestmark = pytest.mark.usefixtures("rules")
LATER = years_after(DAY, 6)


@pytest.fixture
def proposal(municipality, adults):
    for _ in range(3):
        old_file(municipality, adults)
    return services.proposal_create(municipality.pk, LATER)


def _pages(proposal):
    rule = RetentionRule.objects.filter(municipality_id=proposal.municipality_id).first()
    return [
        reverse("retention:start"),
        reverse("retention:proposal", kwargs={"pk": proposal.pk}),
        reverse("retention:proposal_status", kwargs={"pk": proposal.pk}),
        reverse("retention:records"),
        reverse("retention:holds"),
        reverse("retention:rule_edit", kwargs={"pk": rule.pk}),
    ]


def test_the_administrator_sees_every_page(client, login, administrator, proposal):
    login(administrator)
    for url in _pages(proposal):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["worker", "log_reviewer", "outsider"])
def test_everyone_else_gets_404(client, login, request, persona, proposal):
    login(request.getfixturevalue(persona))
    own_lists = (
        _pages(proposal)[::3] + [reverse("retention:holds")] if persona == "outsider" else []
    )
    for url in _pages(proposal):
        if url in own_lists:  # another municipality's administrator sees only their own
            assert (
                reverse("retention:proposal", args=[proposal.pk])
                not in client.get(url).content.decode()
            )
        else:
            assert client.get(url).status_code == 404, url
    url = reverse("retention:proposal_approve", kwargs={"pk": proposal.pk})
    assert client.post(url, {"version": 1}).status_code == 404
    assert Proposal.objects.get().status == "proposed"


def test_the_preview_shows_counts_and_an_audited_sample(client, login, administrator, proposal):
    login(administrator)
    page = client.get(reverse("retention:proposal", kwargs={"pk": proposal.pk}))
    text = page.content.decode()
    assert "Åke Gammal" in text and "Ingen anteckning sedan" in text
    assert "ärenden" in text and "Forskningsurval" in text
    read = AuditEntry.objects.filter(action="read", object_type="people.person").get()
    persons = set(Person.objects.values_list("pk", flat=True))
    assert (
        set(AuditSubject.objects.filter(entry=read).values_list("person_id", flat=True)) == persons
    )
    assert read.changes["reason"] == "gallring"


def test_two_administrators_approve_through_the_pages(
    client, login, administrator, second_administrator, proposal
):
    url = reverse("retention:proposal_approve", kwargs={"pk": proposal.pk})
    login(administrator)
    client.post(url, {"version": 1})
    again = client.post(url, {"version": 2}, follow=True)
    assert "En annan systemförvaltare" in again.content.decode()
    client.logout()
    login(second_administrator)
    done = client.post(url, {"version": 2}, follow=True)
    assert "Gallringen har startat" in done.content.decode()
    assert Person.objects.count() == 0
    records = client.get(reverse("retention:records")).content.decode()
    assert "personer" in records and "Åke" not in records
    assert CullingRecord.objects.exists()


def test_a_rejection_needs_a_reason(client, login, administrator, proposal):
    login(administrator)
    url = reverse("retention:proposal_reject", kwargs={"pk": proposal.pk})
    refused = client.post(url, {"version": 1, "reason": ""})
    assert refused.status_code == 400 and "Ange varför" in refused.content.decode()
    client.post(url, {"version": 1, "reason": "Fel urval"})
    assert Proposal.objects.get().status == "rejected"


def test_a_rule_is_changed_on_its_form_and_audited(client, login, administrator, municipality):
    login(administrator)
    rule = RetentionRule.objects.get(municipality=municipality, kind=RuleKind.PERSON_FILE)
    url = reverse("retention:rule_edit", kwargs={"pk": rule.pk})
    data = {"version": 1, "years": 0, "legal_reference": "x", "active": "on"}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "från 1 till 100" in refused.content.decode()
    client.post(url, {**data, "years": 6})
    rule.refresh_from_db()
    assert rule.years == 6
    change = AuditEntry.objects.get(action="update", object_type="retention.retentionrule")
    assert change.changes["years"] == [5, 6]


def test_a_hold_is_set_by_personnummer(client, login, administrator, municipality, adults):
    person = old_file(municipality, adults)
    login(administrator)
    url = reverse("retention:hold_create")
    refused = client.post(url, {"identifier": "19800406-0000", "reason": "Tvist"})
    assert refused.status_code == 400
    client.post(url, {"identifier": person.identifier, "reason": "Tvist"})
    hold = LegalHold.objects.get()
    assert (hold.person, hold.created_by) == (person, administrator)
    assert services.proposal_create(municipality.pk, LATER) is None


@pytest.mark.parametrize("rows", [1, 3])
def test_the_pages_cost_the_same_at_one_and_three(
    client, login, administrator, municipality, adults, rows, django_assert_num_queries
):
    for _ in range(rows):
        old_file(municipality, adults)
    proposal = services.proposal_create(municipality.pk, LATER)
    login(administrator)
    start, detail = reverse("retention:start"), reverse("retention:proposal", args=[proposal.pk])
    client.get(start), client.get(detail)  # warm: the session and the role scopes
    with django_assert_num_queries(START_QUERIES):
        assert client.get(start).status_code == 200
    with django_assert_num_queries(DETAIL_QUERIES + write_statements()):
        assert client.get(detail).status_code == 200


START_QUERIES = 6
DETAIL_QUERIES = 7


@pytest.mark.parametrize("rows", [1, 3])
def test_the_holds_and_records_cost_the_same_at_one_and_three(
    client,
    login,
    administrator,
    second_administrator,
    municipality,
    adults,
    rows,
    django_assert_num_queries,
):
    for _ in range(rows):
        person = old_file(municipality, adults)
        services.hold_create(actor=administrator, person_id=person.pk, reason="Tvist")
        old_file(municipality, adults)
    proposal = services.proposal_create(municipality.pk, LATER)
    services.proposal_approve(actor=administrator, proposal=proposal, expected_version=1)
    services.proposal_approve(actor=second_administrator, proposal=proposal, expected_version=2)
    login(administrator)
    holds, records = reverse("retention:holds"), reverse("retention:records")
    client.get(holds), client.get(records)  # warm: the session and the role scopes
    with django_assert_num_queries(HOLDS_QUERIES + write_statements()):
        assert client.get(holds).status_code == 200
    with django_assert_num_queries(RECORDS_QUERIES):
        assert client.get(records).status_code == 200


HOLDS_QUERIES = 5
RECORDS_QUERIES = 5
