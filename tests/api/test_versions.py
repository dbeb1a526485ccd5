"""Every update endpoint requires the version it read (kinsight.core.apibase):
without it 400 ``{"version": [...]}``, with a stale one 409, nothing written."""

import pytest

from config.urls import router
from kinsight.core.apibase import TenantViewSet, VersionedSerializer
from kinsight.core.models import OrgUnit
from tests.api.conftest import JSON, UPDATES
from tests.versioning import api_refuses_missing_and_stale_version


@pytest.mark.parametrize("prefix", sorted(UPDATES))
def test_an_update_without_or_with_a_stale_version_is_refused(client, login, fixtures, prefix):
    who, make, change = UPDATES[prefix]
    record = make(fixtures)
    login(fixtures[who])
    url = f"/api/v1/{prefix}/{record.pk}/"
    api_refuses_missing_and_stale_version(client, "patch", url, change, stale=record.version + 7)
    refused = client.patch(url, {**change, "version": None}, content_type=JSON)
    assert refused.status_code == 400 and list(refused.json()) == ["version"]
    saved = client.patch(url, {**change, "version": record.version}, content_type=JSON)
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == record.version + 1


def test_every_update_endpoint_is_in_the_table_above():
    updatable = {p for p, viewset, _ in router.registry if hasattr(viewset, "partial_update")}
    assert updatable == set(UPDATES)


def test_a_viewset_that_updates_without_a_versioned_serializer_is_refused_at_import():
    from rest_framework import mixins, serializers

    class Plain(serializers.ModelSerializer):
        class Meta:
            model = OrgUnit
            fields = ["id", "name"]

    with pytest.raises(TypeError, match="VersionedSerializer"):
        type(
            "Unversioned",
            (mixins.UpdateModelMixin, TenantViewSet),
            {"model": OrgUnit, "serializer_class": Plain, "__module__": __name__},
        )
    assert issubclass(VersionedSerializer, serializers.ModelSerializer)
