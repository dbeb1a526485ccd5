"""An organisation unit's edit carries the version it read (issue 9 §6)."""

from kinsight.core.models import UnitType
from tests.versioning import (
    JSON,
    api_refuses_missing_and_stale_version,
    page_refuses_missing_and_stale_version,
)


def test_it_refuses_a_unit_edit_without_or_with_a_stale_version(client, login, administrator, org):
    unit = org["units"][UnitType.VIOLENCE]
    login(administrator)
    url = f"/api/v1/org-units/{unit.pk}/"
    saved = client.patch(url, {"name": "Våldsenheten", "version": 1}, content_type=JSON)
    assert saved.status_code == 200 and saved.json()["version"] == 2
    api_refuses_missing_and_stale_version(client, "patch", url, {"name": "Ny"}, stale=1)
    page_refuses_missing_and_stale_version(
        client,
        f"/organisation/{unit.pk}/andra/",
        {"name": "Ny", "kind": unit.kind, "parent": unit.parent_id, "unit_type": unit.unit_type},
        stale=1,
    )
    unit.refresh_from_db()
    assert (unit.name, unit.version) == ("Våldsenheten", 2)
