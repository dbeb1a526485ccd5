"""Issue 9 §4: the child's information as its own part of "attended" (given, or not
applicable with a reason), child records per case (a parent's new case records the
child afresh), expected children, and the feedback clock of a concern report. The data
moves in 0004; 0005 drops the old yes/no field."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_case_reopened_at"),
        ("core", "0001_initial"),
        ("detection", "0002_seed_deadline_rules"),
        ("people", "0003_identifier_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="childrecord",
            name="childrecord_unique_parent_child",
        ),
        migrations.AddField(
            model_name="childrecord",
            name="expected_month",
            field=models.DateField(
                blank=True,
                help_text="För ett väntat barn: månaden barnet väntas (månadens första dag).",
                null=True,
                verbose_name="beräknad månad",
            ),
        ),
        migrations.AddField(
            model_name="childrecordstep",
            name="child_information",
            field=models.CharField(
                blank=True,
                choices=[
                    ("given", "Barnet har fått information anpassad efter ålder"),
                    ("not_applicable", "Ej tillämpligt"),
                ],
                max_length=20,
                verbose_name="information till barnet",
            ),
        ),
        migrations.AddField(
            model_name="childrecordstep",
            name="child_information_reason",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="varför ej tillämpligt"
            ),
        ),
        migrations.AddField(
            model_name="concernreport",
            name="feedback_due_on",
            field=models.DateField(blank=True, null=True, verbose_name="återkoppling senast"),
        ),
        migrations.AddField(
            model_name="concernreport",
            name="feedback_given_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="återkoppling given av",
            ),
        ),
        migrations.AddField(
            model_name="concernreport",
            name="feedback_given_on",
            field=models.DateField(blank=True, null=True, verbose_name="återkoppling given"),
        ),
        migrations.AddField(
            model_name="concernreport",
            name="feedback_rule",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="detection.deadlinerule",
                verbose_name="frist för återkoppling",
            ),
        ),
        migrations.AddIndex(
            model_name="concernreport",
            index=models.Index(
                condition=models.Q(
                    ("feedback_due_on__isnull", False), ("feedback_given_on__isnull", True)
                ),
                fields=["municipality", "receiving_unit", "feedback_due_on"],
                name="report_feedback_due",
            ),
        ),
        migrations.AddConstraint(
            model_name="childrecord",
            constraint=models.UniqueConstraint(
                condition=models.Q(("child__isnull", False)),
                fields=("case", "child"),
                name="childrecord_unique_case_child",
            ),
        ),
        migrations.AddConstraint(
            model_name="childrecordstep",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("child_information", "not_applicable"), _negated=True),
                    models.Q(("child_information_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="childstep_not_applicable_has_reason",
            ),
        ),
    ]
