"""Tasks decided in family meetings reach the responsible worker's "Att göra"."""

import datetime

import pytest

from kinsight.family import services

pytestmark = pytest.mark.django_db

today = datetime.date.today


def test_it_lists_a_task_due_soon_for_the_responsible_worker(
    client, login, worker, work, open_case
):
    services.task_create(
        actor=worker,
        family_work=work,
        title="Boka möte med skolan",
        due_on=today() + datetime.timedelta(days=2),
        responsible_unit=open_case.unit,
        responsible=worker,
    )
    login(worker)
    page = client.get("/att-gora/", {"group": "meeting_tasks"}).content.decode()
    assert "Uppgifter från familjemöten" in page
    assert "2 dagar kvar" in page
    assert "Boka möte med skolan" in page
    assert f"/familjearenden/{work.pk}/" in page


def test_it_leaves_out_done_tasks_and_tasks_far_ahead(client, login, worker, work, open_case):
    done = services.task_create(
        actor=worker,
        family_work=work,
        title="Redan gjord",
        due_on=today(),
        responsible_unit=open_case.unit,
        responsible=worker,
    )
    services.task_complete(actor=worker, task=done, outcome="Klart", expected_version=done.version)
    services.task_create(
        actor=worker,
        family_work=work,
        title="Långt fram",
        due_on=today() + datetime.timedelta(days=60),
        responsible_unit=open_case.unit,
        responsible=worker,
    )
    login(worker)
    page = client.get("/att-gora/", {"group": "meeting_tasks"}).content.decode()
    assert "Inget att göra här just nu." in page
    assert "Redan gjord" not in page and "Långt fram" not in page


def test_another_units_worker_does_not_see_the_task(
    client, login, worker, work, open_case, bystander
):
    services.task_create(
        actor=worker,
        family_work=work,
        title="Hemlig uppgift",
        due_on=today(),
        responsible_unit=open_case.unit,
        responsible=worker,
    )
    login(bystander)
    response = client.get("/att-gora/", {"group": "meeting_tasks"})
    assert "Hemlig uppgift" not in response.content.decode()
