"""The demo's retention: a second administrator and a proposal of the old files, the
one born on the 15th and the one under a hold kept."""

from kinsight.core.models import Role
from kinsight.demo.generate.retention import generate_retention
from kinsight.retention.models import Proposal
from tests import factories


def test_the_demo_has_a_proposal_for_two_administrators(municipality, org):
    factories.staff(municipality, role=Role.ADMINISTRATOR, unit=org["board"], username="admin")
    generate_retention(municipality)
    proposal = Proposal.objects.get()
    assert proposal.due == 3
    assert proposal.counts["kept"]["hold"] == 1
    assert municipality.user_set.filter(username="admin2").exists()
