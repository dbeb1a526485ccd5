from django.core.management.base import CommandError

from kinsight.audit import anchor
from kinsight.audit.models import AuditChainHead
from kinsight.audit.verify import chain_start
from kinsight.core.commands import MunicipalityCommand


class Command(MunicipalityCommand):
    help = (
        "Write a signed checkpoint (where the chain stands: seq, hash, first keyed row) of "
        "every municipality's audit chain (or one, by code) that moved since its last one, "
        "to KINSIGHT_AUDIT_CHECKPOINT_FILE and syslog (KINSIGHT_AUDIT_SYSLOG). Run it "
        "every few minutes; audit_verify runs it after a chain verified."
    )

    def handle(self, *args, **options):
        behind = []
        for municipality in self.municipalities(options["municipality"]):
            head = AuditChainHead.objects.filter(municipality=municipality).first()
            signed = anchor.read(municipality.pk).found
            last = max((checkpoint.seq for checkpoint in signed), default=0)
            label = f"{municipality.code} {municipality.name}"
            if head is None or head.last_seq == 0 and not last:
                self.stdout.write(f"{label}: no rows yet")
            elif head.last_seq < last:
                behind.append(f"{label}: chain ends at seq={head.last_seq}, signed seq={last}")
            elif head.last_seq == last:
                self.stdout.write(f"{label}: checkpoint seq={last} already signed")
            else:
                if not signed:
                    self._adopt_start(municipality.pk, head.keyed_from)
                anchor.write(municipality.pk, head.last_seq, head.last_hash, head.keyed_from)
                self.stdout.write(f"{label}: checkpoint seq={head.last_seq} signed")
        if behind:
            raise CommandError(
                "audit chain behind its signed checkpoints (run audit_verify)\n" + "\n".join(behind)
            )

    def _adopt_start(self, municipality_id, keyed_from):
        """A chain's first checkpoint: when months were removed before checkpoints
        existed, sign where the retained chain starts, as audit_partitions does now."""
        seq, link = chain_start(municipality_id)
        if seq:
            anchor.write(municipality_id, seq, link, keyed_from, kind="removed")
