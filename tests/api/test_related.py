"""A related id the user may not see is refused as if it did not exist (400 with
the same message), whether it is invisible, another municipality's, or visible but
not changeable where the field needs change: nothing is written."""

import re

import pytest

from kinsight.audit.models import AuditEntry
from tests.api.conftest import JSON
from tests.people import factories as pf

MISSING_ID = 987654


def _stranger(f):
    return pf.person(f["municipality"], "Okänd", "Främling")


CASES = {
    "a case for a person never seen": (
        "worker",
        "cases",
        "person",
        lambda f: {"person": _stranger(f).pk, "unit": f["adult_unit"].pk, "subject": "X"},
    ),
    "a case in another municipality's unit": (
        "worker",
        "cases",
        "unit",
        lambda f: {
            "person": f["open_case"].person.pk,
            "unit": f["other_org"]["board"].pk,
            "subject": "X",
        },
    ),
    "a note on another unit's case": (
        "worker",
        "notes",
        "case",
        lambda f: {"case": f["kim_case"].pk, "text": "X"},
    ),
    "a relationship to a person never seen": (
        "worker",
        "relationships",
        "to_person",
        lambda f: {
            "from_person": f["open_case"].person.pk,
            "to_person": _stranger(f).pk,
            "kind": "partner",
        },
    ),
    "a unit added by a participant who may not change the family work": (
        "child_worker",
        "family-participants",
        "family_work",
        lambda f: {"family_work": f["joined"].pk, "unit": f["other_unit"].pk},
    ),
    "a member added to a family work never seen": (
        "bystander",
        "family-members",
        "family_work",
        lambda f: {"family_work": f["work"].pk, "person": _stranger(f).pk, "role": "other"},
    ),
}


def _writes():
    return AuditEntry.objects.exclude(action="read").count()


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_related_id_out_of_sight_answers_as_a_missing_one(client, login, fixtures, case):
    who, prefix, field, make = CASES[case]
    data = make(fixtures)
    login(fixtures[who])
    before = _writes()
    refused = client.post(f"/api/v1/{prefix}/", data, content_type=JSON)
    missing = client.post(f"/api/v1/{prefix}/", {**data, field: MISSING_ID}, content_type=JSON)
    assert refused.status_code == missing.status_code == 400, refused.content
    assert field in refused.json()
    shown = [re.sub(r"\d+", "N", message) for message in refused.json()[field]]
    assert shown == [re.sub(r"\d+", "N", message) for message in missing.json()[field]]
    assert _writes() == before
