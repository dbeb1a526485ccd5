"""The groups' catalogue pages: providers and grants, programmes and their measurement
plan, the leader register with where leaders are missing. Everyone in the municipality
reads; heads of services and administrators change (403 for others, 404 for another
municipality's rows); bad input is 400 with a message; writes are audited."""

import datetime

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.core.models import NodeKind, OrgUnit
from kinsight.groups import services
from kinsight.groups.models import LeaderTraining, Programme, ProgrammeMeasure, Provider
from kinsight.interventions.models import ProviderKind

pytestmark = pytest.mark.django_db


def audited(model, action="create"):
    return AuditEntry.objects.filter(object_type=model._meta.label_lower, action=action)


def test_it_shows_providers_grants_and_programmes_with_their_plan_to_all_staff(
    client, login, worker, head, programme
):
    services.grant_set(actor=head, provider=programme.provider, year=2026, amount=450_000)
    login(worker)
    page = client.get("/stodgrupper/program/").content.decode()
    assert "Familjeenheten Norr" in page and "2026: 450000 kr" in page
    assert "Vågen" in page and "WHO-5" in page and "7–12" in page
    assert "/stodgrupper/program/nytt/" not in page  # a case worker only reads


def test_it_runs_the_same_queries_for_one_programme_and_for_many(
    client, login, head, programme, who5, django_assert_num_queries
):
    login(head)
    with django_assert_num_queries(7):
        assert client.get("/stodgrupper/program/").status_code == 200
    for n in range(3):
        copy = services.programme_create(
            actor=head,
            name=f"Solrosen {n}",
            problem_area="mental_illness",
            target_group="children",
            group_sessions=8,
            provider=programme.provider,
        )
        services.programme_measure_add(actor=head, programme=copy, instrument=who5, point="before")
        services.grant_set(actor=head, provider=programme.provider, year=2020 + n, amount=n)
    with django_assert_num_queries(7):
        assert client.get("/stodgrupper/program/").status_code == 200


def test_a_head_of_services_adds_a_programme_and_its_measurement_plan(
    client, login, head, programme, who5
):
    login(head)
    response = client.post(
        "/stodgrupper/program/nytt/",
        {
            "name": "Tonårsgruppen",
            "problem_area": "addiction",
            "target_group": "teenagers",
            "min_age": 13,
            "max_age": 17,
            "group_sessions": 10,
            "individual_talks": 1,
            "provider": programme.provider.pk,
            "is_active": "on",
        },
    )
    made = Programme.objects.get(name="Tonårsgruppen")
    assert response.status_code == 302
    assert response["Location"] == f"/stodgrupper/program/{made.pk}/matplan/"
    assert audited(Programme).filter(object_id=str(made.pk)).exists()
    plan = f"/stodgrupper/program/{made.pk}/matplan/"
    assert client.post(plan, {"instrument": who5.pk, "point": "before"}).status_code == 302
    refused = client.post(plan, {"instrument": who5.pk, "point": "follow_up"})
    assert refused.status_code == 400
    assert "Ange hur många månader efter avslut" in refused.content.decode()
    client.post(plan, {"instrument": who5.pk, "point": "follow_up", "months_after_end": 6})
    assert ProgrammeMeasure.objects.filter(programme=made).count() == 2
    assert audited(ProgrammeMeasure).count() == 4  # the fixture's two and these two
    page = client.get(plan).content.decode()
    assert page.index(": före") < page.index(": uppföljning (6 månader efter avslut)")


def test_bad_programme_input_is_refused_with_a_message_and_nothing_saved(
    client, login, head, programme
):
    login(head)
    response = client.post(
        f"/stodgrupper/program/{programme.pk}/andra/",
        {
            "version": programme.version,
            "name": "Vågen",
            "problem_area": "addiction",
            "target_group": "children",
            "min_age": 14,
            "max_age": 12,
            "group_sessions": 10,
            "individual_talks": 1,
            "provider": programme.provider.pk,
        },
    )
    assert response.status_code == 400
    assert "Åldern till kan inte vara lägre än åldern från." in response.content.decode()
    programme.refresh_from_db()
    assert (programme.min_age, programme.version) == (7, 1)


def test_it_keeps_providers_and_sets_a_years_grant(client, login, head, programme):
    login(head)
    response = client.post(
        "/stodgrupper/utforare/ny/",
        {"name": "Ersta Vändpunkten", "kind": ProviderKind.EXTERNAL, "contact": "08-123 45"},
    )
    assert response.status_code == 302
    ngo = Provider.objects.get(name="Ersta Vändpunkten")
    assert audited(Provider).filter(object_id=str(ngo.pk)).exists()
    grant = f"/stodgrupper/utforare/{ngo.pk}/bidrag/"
    assert client.post(grant, {"year": 2026, "amount": 900_000}).status_code == 302
    assert client.post(grant, {"year": 2026, "amount": 950_000}).status_code == 302
    assert ngo.grants.get().amount == 950_000
    assert audited(ngo.grants.model, "update").get().changes["amount"] == [900_000, 950_000]
    refused = client.post(grant, {"year": 1990, "amount": 10})
    assert refused.status_code == 400 and "2000" in refused.content.decode()
    edit = client.post(
        f"/stodgrupper/utforare/{ngo.pk}/andra/",
        {"version": ngo.version, "name": "Ersta", "kind": ProviderKind.EXTERNAL},
    )
    assert edit.status_code == 302 and audited(Provider, "update").exists()
    unit_missing = client.post(
        "/stodgrupper/utforare/ny/", {"name": "Egen", "kind": ProviderKind.OWN_UNIT}
    )
    assert unit_missing.status_code == 400
    assert "Välj den enhet i kommunen som leder grupperna." in unit_missing.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/stodgrupper/utforare/ny/",
        "/stodgrupper/utforare/{provider}/andra/",
        "/stodgrupper/utforare/{provider}/bidrag/",
        "/stodgrupper/program/nytt/",
        "/stodgrupper/program/{programme}/andra/",
        "/stodgrupper/program/{programme}/matplan/",
        "/stodgrupper/ledare/ny/",
    ],
)
def test_a_case_worker_or_a_leader_may_not_change_the_catalogue(
    client, login, worker, leader, programme, url
):
    url = url.format(provider=programme.provider_id, programme=programme.pk)
    for user in (worker, leader):
        login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "X"}).status_code == 403
    assert Programme.objects.count() == 1 and Provider.objects.count() == 1


def test_another_municipalitys_catalogue_rows_are_404(client, login, outsider, programme):
    login(outsider)
    for url in (
        f"/stodgrupper/utforare/{programme.provider_id}/andra/",
        f"/stodgrupper/program/{programme.pk}/andra/",
        f"/stodgrupper/program/{programme.pk}/matplan/",
    ):
        assert client.get(url).status_code == 404
    assert "Vågen" not in client.get("/stodgrupper/program/").content.decode()


def test_the_register_shows_where_leaders_are_missing(
    client, login, municipality, org, head, leader, programme, django_assert_num_queries
):
    south = OrgUnit.objects.create(
        municipality=municipality,
        name="Söder",
        kind=NodeKind.DISTRICT,
        parent=org["administration"],
    )
    login(head)
    response = client.post(
        "/stodgrupper/ledare/ny/",
        {
            "leader": leader.pk,
            "district": org["district"].pk,
            "programme": programme.pk,
            "training": "Vågen grundutbildning",
            "trained_on": "2025-09-01",
        },
    )
    assert response.status_code == 302
    assert audited(LeaderTraining).count() == 1
    with django_assert_num_queries(6):
        page = client.get("/stodgrupper/ledare/").content.decode()
    assert "Vågen grundutbildning" in page
    gaps = page.split("Här saknas ledare")[1].split("Utbildade gruppledare")[0]
    assert "Söder" in gaps and org["district"].name not in gaps
    services.leader_training_add(
        actor=head,
        leader=leader,
        district=south,
        programme=programme,
        training="Vågen",
        trained_on=datetime.date(2025, 10, 1),
    )
    with django_assert_num_queries(6):
        page = client.get("/stodgrupper/ledare/").content.decode()
    assert "Varje stadsdel har minst en utbildad ledare" in page


def test_a_future_training_date_is_refused(client, login, head, leader, org):
    login(head)
    response = client.post(
        "/stodgrupper/ledare/ny/",
        {
            "leader": leader.pk,
            "district": org["district"].pk,
            "training": "Grund",
            "trained_on": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert not LeaderTraining.objects.exists()
