import pytest

from kinsight.family import access, models


@pytest.mark.parametrize(
    "model",
    [
        models.FamilyWork,
        models.Participant,
        models.FamilyMember,
        models.LinkedCase,
        models.Consent,
        models.FamilyMeeting,
        models.MeetingParticipant,
        models.MeetingNote,
        models.FollowUpTask,
    ],
)
@pytest.mark.parametrize("action", ["view", "change"])
def test_it_builds_every_rule(model, action, worker):
    assert list(model.objects.visible_to(worker, action)) == []


def test_it_answers_shares_with_without_family_work(worker, municipality):
    from tests.people import factories as pf

    assert access.shares_with(worker, pf.person(municipality)) is False
