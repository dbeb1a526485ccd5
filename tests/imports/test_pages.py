"""The import pages: what they show, their fixed query counts at 1 and N rows, the
audit row of the dry run's rows, the sample file and the status fragment."""

import re

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.imports.models import Import, ImportState
from tests.audit.helpers import write_statements

pytestmark = pytest.mark.django_db


def _import(user, rows=1, state=ImportState.CHECKED):
    report = [[n + 2, "refused", f"1980010{n}", "Okänd enhet: X."] for n in range(rows)]
    return Import.objects.create(
        municipality=user.municipality,
        kind="persons",
        file_name="p.csv",
        file_format="csv",
        data=b"",
        uploaded_by=user,
        state=state,
        report=report,
        counts={"refused": rows},
    )


@pytest.mark.parametrize("count", [1, 5])
def test_the_list_costs_the_same_whatever_its_length(
    client, login, administrator, count, django_assert_num_queries
):
    for _n in range(count):
        _import(administrator)
    login(administrator)
    client.get(reverse("imports:list"))
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("imports:list"))
    assert len(re.findall(r'href="/import/\d+/"', response.content.decode())) == count


@pytest.mark.parametrize("rows", [1, 30])
def test_the_dry_run_page_costs_the_same_and_is_one_read_row(
    client, login, administrator, rows, django_assert_num_queries
):
    run = _import(administrator, rows)
    login(administrator)
    client.get(reverse("imports:list"))
    with django_assert_num_queries(DETAIL_QUERIES + write_statements(subjects=False)):
        response = client.get(reverse("imports:detail", args=[run.pk]))
    text = response.content.decode()
    assert text.count("Okänd enhet: X.") == min(rows, 25)
    read = AuditEntry.objects.filter(action="read").get()
    assert (read.object_type, read.object_id) == ("imports.import", str(run.pk))
    only = client.get(reverse("imports:detail", args=[run.pk]), {"visa": "avvisade"})
    assert "Visa alla rader" in only.content.decode()


def test_the_sample_file_shows_refused_rows_on_purpose(client, login, administrator, org):
    unit = org["units"]["adults_addiction"]
    unit.name = "Vuxenenheten missbruk Norra"  # the demo's unit the sample names
    unit.save()
    login(administrator)
    response = client.post(reverse("imports:sample"), follow=True)
    run = Import.objects.get()
    assert run.state == ImportState.CHECKED
    assert run.counts == {"created": 6, "refused": 5}
    text = response.content.decode()
    for reason in (
        "Ogiltigt personnummer",
        "Raden finns redan tidigare i filen.",
        "Okänd enhet: Enheten som inte finns",
        "Datumet 2024-13-45 i kolumnen avliden ska skrivas ÅÅÅÅ-MM-DD.",
        "Kolumnen fornamn är tom.",
    ):
        assert reason in text
    assert (
        client.get(reverse("imports:sample_file", args=["personer-exempel.csv"])).status_code == 200
    )
    assert client.get(reverse("imports:sample_file", args=["annan.csv"])).status_code == 404


def test_the_status_polls_while_busy_and_stops_when_done(client, login, administrator):
    run = _import(administrator, state=ImportState.RUNNING)
    login(administrator)
    busy = client.get(reverse("imports:status", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in busy and "Starta importen" not in busy
    Import.objects.filter(pk=run.pk).update(state=ImportState.DONE)
    done = client.get(reverse("imports:status", args=[run.pk])).content.decode()
    assert "hx-trigger" not in done and "Ångra importen" in done


# Session, user, memberships and tree (roles), the page of imports and its count.
LIST_QUERIES = 5
# Session, user, roles, the import with its report.
DETAIL_QUERIES = 4
