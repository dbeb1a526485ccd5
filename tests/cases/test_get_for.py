"""One way to get a row for a page (kinsight.access.rules.get_for): 404 to those who
may not see it, 403 to those who see it but may not act, the flag read with the row."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kinsight.access.rules import get_for
from kinsight.cases.models import Case

pytestmark = pytest.mark.django_db


def test_the_responsible_worker_gets_the_case_with_the_flag_in_one_query(
    worker, open_case, django_assert_num_queries
):
    assert worker.role_scopes  # the role scopes: read once per request, before
    with django_assert_num_queries(1):
        case = get_for(worker, Case.objects.select_related("person"), open_case.pk, "change")
        assert case.may_change is True and case.person.first_name


def test_a_colleague_sees_the_case_but_gets_403_for_a_change(colleague, open_case):
    seen = get_for(colleague, Case.objects.all(), open_case.pk, flags=("change",))
    assert seen.may_change is False
    with pytest.raises(PermissionDenied):
        get_for(colleague, Case.objects.all(), open_case.pk, "change")


def test_a_user_without_the_relationship_gets_404(child_worker, open_case):
    for action in ("view", "change"):
        with pytest.raises(Http404):
            get_for(child_worker, Case.objects.all(), open_case.pk, action)
