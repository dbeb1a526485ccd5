"""The single-object rules services share (kinsight/access/rules.py)."""

import pytest
from django.core.exceptions import PermissionDenied

from kinsight.access.rules import municipality_id_of
from tests import factories


def test_it_gives_the_municipality_the_actor_writes_in(worker, municipality):
    assert municipality_id_of(worker) == municipality.pk


def test_it_refuses_a_technical_account_without_a_municipality(db):
    technical = factories.staff(None)

    with pytest.raises(PermissionDenied):
        municipality_id_of(technical)
