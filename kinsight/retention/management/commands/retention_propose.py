from django.utils import timezone

from kinsight.core.commands import MunicipalityCommand
from kinsight.retention.services import proposal_create


class Command(MunicipalityCommand):
    help = (
        "Propose the culling (gallring) of what is due today under each municipality's "
        "retention rules, for two administrators to approve. Nothing is culled here. "
        "Run nightly (contrib/systemd/kinsight-retention.timer); a municipality with a "
        "proposal awaiting approval or running gets no new one."
    )

    def handle(self, *args, municipality=None, **options):
        today = timezone.localdate()
        for found in self.municipalities(municipality):
            proposal = proposal_create(found.pk, today)
            if proposal is None:
                self.stdout.write(f"{found.code}: nothing new to propose")
            else:
                self.stdout.write(f"{found.code}: {proposal.due} person file(s) proposed")
