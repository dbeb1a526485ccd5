from django.db import migrations


def build_grants(apps, schema_editor):
    """The family works and consents already there get their access grants (the same
    recompute as manage.py grants_check --repair)."""
    from kinsight.people.grants import grants_rebuild

    for municipality_id in apps.get_model("core", "Municipality").objects.values_list(
        "pk", flat=True
    ):
        grants_rebuild(municipality_id)


class Migration(migrations.Migration):
    dependencies = [
        ("family", "0001_initial"),
        ("people", "0006_grant_family_reasons"),
    ]

    operations = [migrations.RunPython(build_grants, migrations.RunPython.noop)]
