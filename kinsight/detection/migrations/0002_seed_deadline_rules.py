"""The statutory clocks of a concern report, as data with their legal topic (the rows
of cases.LegalReference seeded by cases 0002). An administrator updates them when the
law changes; a report stores the due dates it got when it was received."""

from django.db import migrations

# (code, label, days, months, legal topic)
ROWS = [
    (
        "pre_assessment",
        "Förhandsbedömning inom 14 dagar från att anmälan kom in",
        14,
        0,
        "pre-assessment-14-days",
    ),
    (
        "investigation",
        "Utredning avslutad inom fyra månader från att den inleddes",
        0,
        4,
        "investigation-4-months",
    ),
    (
        "feedback",
        "Återkoppling till anmälaren inom en vecka från beslutet, om anmälaren begär det",
        7,
        0,
        "concern-report",
    ),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("detection", "DeadlineRule")
    for code, label, days, months, topic in ROWS:
        DeadlineRule.objects.update_or_create(
            code=code,
            valid_from=None,
            defaults={"label": label, "days": days, "months": months, "legal_topic": topic},
        )


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("detection", "DeadlineRule")
    DeadlineRule.objects.filter(code__in=[row[0] for row in ROWS], valid_from=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("detection", "0001_initial"),
        ("cases", "0002_seed_legal_references"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
