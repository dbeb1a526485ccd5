"""The yes/no ``child_informed`` is replaced by ``child_information`` (copied in 0004)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("detection", "0004_migrate_child_information_records_feedback")]

    operations = [migrations.RemoveField(model_name="childrecordstep", name="child_informed")]
