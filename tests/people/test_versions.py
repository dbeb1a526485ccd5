"""A person's and a relationship's edits carry the version they read (issue 9 §6)."""

import datetime

from kinsight.people.models import RelationKind
from kinsight.people.services import relationship_end
from tests.people import factories as pf
from tests.versioning import (
    JSON,
    api_refuses_missing_and_stale_version,
    page_refuses_missing_and_stale_version,
)


def test_it_refuses_a_person_edit_in_the_api_without_or_with_a_stale_version(
    client, login, worker, open_case
):
    person = open_case.person
    login(worker)
    url = f"/api/v1/persons/{person.pk}/"
    saved = client.patch(url, {"first_name": "Anna", "version": person.version}, content_type=JSON)
    assert saved.status_code == 200, saved.content
    api_refuses_missing_and_stale_version(client, "patch", url, {"first_name": "X"}, stale=1)
    person.refresh_from_db()
    assert person.first_name == "Anna"


def test_it_refuses_ending_a_relationship_without_or_with_a_stale_version(
    client, login, worker, open_case, family
):
    link = pf.relate(open_case.person, family["kim"], RelationKind.GUARDIAN)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    relationship_end(actor=worker, relationship=link, valid_to=None, expected_version=1)
    login(worker)
    page_refuses_missing_and_stale_version(
        client, f"/relationer/{link.pk}/avsluta/", {"valid_to": yesterday.isoformat()}, stale=1
    )
    link.refresh_from_db()
    assert link.valid_to is None and link.version == 2
