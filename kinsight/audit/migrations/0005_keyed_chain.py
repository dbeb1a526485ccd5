"""The audit chain's hashes become keyed (HMAC with the key in KINSIGHT_AUDIT_KEY_FILE,
kinsight/audit/anchor.py). A chain that exists when this runs goes on from its head:
its rows keep their SHA-256 hashes and verify with them, every row after them is
keyed (``keyed_from`` = the head's ``last_seq`` + 1). A chain begun later is keyed from
its first row (the field's default, 1)."""

from django.db import migrations, models
from django.db.models import F


def keyed_after_the_head(apps, schema_editor):
    heads = apps.get_model("audit", "AuditChainHead").objects.using(schema_editor.connection.alias)
    heads.update(keyed_from=F("last_seq") + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_partitions"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="keyed_from",
            field=models.PositiveBigIntegerField(default=1),
        ),
        migrations.RunPython(keyed_after_the_head, migrations.RunPython.noop),
    ]
