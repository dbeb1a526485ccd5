# The kept counts of children as next of kin, a row per step and month done instead of a
# row per combination of the three steps' months (which was almost a row per child).
# The rows are counts the five-minute rollup writes afresh: dropped here, written again
# by its next run (the figure counts live until then).

from django.db import migrations, models


def forget(apps, schema_editor):
    apps.get_model("followup", "ChildRecordCount").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("followup", "0006_children_kept")]

    operations = [
        migrations.RunPython(forget, migrations.RunPython.noop),
        migrations.RemoveField(model_name="childrecordcount", name="age"),
        migrations.RemoveField(model_name="childrecordcount", name="attended"),
        migrations.RemoveField(model_name="childrecordcount", name="assessed"),
        migrations.RemoveField(model_name="childrecordcount", name="offered"),
        migrations.AddField(
            model_name="childrecordcount",
            name="band",
            field=models.CharField(max_length=8, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="childrecordcount",
            name="step",
            field=models.CharField(max_length=12, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="childrecordcount",
            name="done",
            field=models.DateField(null=True),
        ),
        # Backwards: the rows go before the old columns come back (age has no default).
        migrations.RunPython(migrations.RunPython.noop, forget),
    ]
