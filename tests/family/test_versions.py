"""A family work's changes carry the version they read (issue 9 §6)."""

from kinsight.family import services
from kinsight.family.models import FamilyWork
from tests.versioning import (
    api_refuses_missing_and_stale_version,
    page_refuses_missing_and_stale_version,
)


def test_it_refuses_closing_or_renaming_without_or_with_a_stale_version(
    client, login, worker, work
):
    services.family_work_update(
        actor=worker, family_work=work, expected_version=work.version, title="Enheten A"
    )
    stale = work.version - 1
    login(worker)
    assert (
        f'name="version" value="{work.version}"'
        in client.get(f"/familjearenden/{work.pk}/").content.decode()
    )
    page_refuses_missing_and_stale_version(
        client, f"/familjearenden/{work.pk}/avsluta/", {}, stale=stale
    )
    api_refuses_missing_and_stale_version(
        client, "patch", f"/api/v1/family-work/{work.pk}/", {"title": "Annat"}, stale=stale
    )
    work = FamilyWork.objects.get(pk=work.pk)
    assert (work.title, work.status) == ("Enheten A", "active")
