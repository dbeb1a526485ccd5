"""The statutory retention rules for every municipality that exists
(kinsight/retention/defaults.py); one made later gets them from rules_ensure."""

from django.db import migrations

from kinsight.retention.defaults import statutory_rules


def seed(apps, schema_editor):
    municipality = apps.get_model("core", "Municipality")
    rule = apps.get_model("retention", "RetentionRule")
    for pk in municipality.objects.values_list("pk", flat=True):
        if not rule.objects.filter(municipality_id=pk).exists():
            rule.objects.bulk_create(statutory_rules(pk, rule))


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_rules_proposals")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
