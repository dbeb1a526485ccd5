"""The child question's answers carry the version they read (issue 9 §6): a
concurrent first answer is refused, not overwritten."""

import pytest

from kinsight.core.services import StaleEdit
from kinsight.detection import services
from kinsight.detection.models import ChildQuestion
from tests.versioning import (
    STALE,
    api_refuses_missing_and_stale_version,
    page_refuses_missing_and_stale_version,
)


def _first_answer(worker, case):
    return services.child_question_answer(
        actor=worker, case=case, has_children="yes", expecting_child="no", expected_version=0
    )


def test_a_concurrent_first_answer_is_refused_not_overwritten(worker, open_case):
    _first_answer(worker, open_case)  # the other tab saved first
    with pytest.raises(StaleEdit):
        services.child_question_answer(
            actor=worker,
            case=open_case,
            has_children="no",
            expecting_child="no",
            expected_version=0,
        )
    question = ChildQuestion.objects.get(case=open_case)
    assert (question.has_children, question.version, question.answers.count()) == ("yes", 1, 1)


def test_the_page_keeps_the_second_first_answer_and_says_so(client, login, worker, open_case):
    login(worker)
    url = f"/arenden/{open_case.pk}/barnfragan/"
    assert 'name="version" value="0"' in client.get(url).content.decode()
    _first_answer(worker, open_case)
    response = client.post(url, {"has_children": "no", "expecting_child": "no", "version": 0})
    assert STALE in response.content.decode()
    assert ChildQuestion.objects.get(case=open_case).has_children == "yes"


def test_it_refuses_an_answer_without_or_with_a_stale_version(client, login, worker, open_case):
    _first_answer(worker, open_case)
    login(worker)
    data = {"has_children": "no", "expecting_child": "no"}
    page_refuses_missing_and_stale_version(
        client, f"/arenden/{open_case.pk}/barnfragan/", data, stale=0
    )
    api_refuses_missing_and_stale_version(
        client, "post", "/api/v1/child-questions/answer/", {**data, "case": open_case.pk}, stale=0
    )
    assert ChildQuestion.objects.get(case=open_case).has_children == "yes"
