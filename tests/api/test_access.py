"""The API base's one rule for writes: what the user may not see answers 404, what
they see but may not change 403 (before, org units and relationships answered 404
to both, as the write used the change scope to find the record)."""

from kinsight.core.models import OrgUnit
from kinsight.people.models import RelationKind, Relationship
from tests.api.conftest import JSON
from tests.people import factories as pf


def test_an_org_unit_seen_but_not_changeable_is_403_and_anothers_404(
    client, login, worker, org, other_org
):
    login(worker)
    ours, theirs = org["district"], other_org["district"]
    change = {"name": "Ny", "version": ours.version}
    assert (
        client.patch(f"/api/v1/org-units/{ours.pk}/", change, content_type=JSON).status_code == 403
    )
    assert (
        client.patch(f"/api/v1/org-units/{theirs.pk}/", change, content_type=JSON).status_code
        == 404
    )
    assert OrgUnit.objects.get(pk=ours.pk).name == org["district"].name


def test_removing_a_relationship_seen_but_not_changeable_is_403_and_unseen_404(
    client, login, colleague, bystander, open_case, family
):
    link = pf.relate(open_case.person, family["per"], RelationKind.SIBLING)
    login(colleague)
    assert client.get(f"/api/v1/relationships/{link.pk}/").status_code == 200
    assert client.delete(f"/api/v1/relationships/{link.pk}/").status_code == 403
    login(bystander)
    assert client.delete(f"/api/v1/relationships/{link.pk}/").status_code == 404
    assert Relationship.objects.filter(pk=link.pk).exists()
