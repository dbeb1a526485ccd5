"""Personas of the early-detection tests, around Anna (adult addiction unit case) and
her son Kim:

- worker: responsible for Anna's case (answers the child question, records children,
  sends reports);
- colleague: another case worker in the adult unit (reads, may not write: 403);
- manager: the adult unit's manager;
- child_worker: case worker in the children-and-youth unit (sees a child record only
  once a report or a case exists for the child; otherwise 404);
- outsider: another municipality (404).
"""

import pytest

from kinsight.detection import services
from tests.people.conftest import *  # noqa: F403 - the same personas


@pytest.fixture
def answered(worker, open_case):
    return services.child_question_answer(
        actor=worker, case=open_case, has_children="yes", expecting_child="no", expected_version=0
    )


@pytest.fixture
def kim_record(worker, open_case, family):
    return services.child_record_add(
        actor=worker,
        case=open_case,
        child=family["kim"],
        custody="joint",
        lives_with="full",
        other_carers="Mormor",
    )


@pytest.fixture
def unknown_child(worker, open_case):
    return services.child_record_add(
        actor=worker, case=open_case, first_name="Lo", age=4, custody="unknown"
    )


@pytest.fixture
def internal_report(worker, kim_record, child_unit):
    return services.concern_report_send(
        actor=worker, record=kim_record, receiving_unit=child_unit, concern="Kim är orolig."
    )
