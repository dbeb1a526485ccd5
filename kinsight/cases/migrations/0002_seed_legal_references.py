"""The legal references from PRODUCT.md, as data: the new Socialtjänstlag (SFS 2025:400,
from 1 July 2025) and the earlier SoL (SFS 2001:453, until 30 June 2025), so that older
records read right. An administrator updates them when the law changes."""

import datetime

from django.db import migrations

NEW = ("SFS 2025:400", "Socialtjänstlagen (2025:400)", datetime.date(2025, 7, 1), None)
OLD = ("SFS 2001:453", "Socialtjänstlagen (2001:453)", None, datetime.date(2025, 6, 30))
NEW_SOF = ("SFS 2025:468", "Socialtjänstförordningen (2025:468)", datetime.date(2025, 7, 1), None)
OLD_SOF = ("SFS 2001:937", "Socialtjänstförordningen (2001:937)", None, datetime.date(2025, 6, 30))

# (topic, rule, [(law, reference)])
ROWS = [
    (
        "concern-report",
        "Skyldighet att anmäla oro (orosanmälan); anmälaren kan begära återkoppling inom en "
        "vecka från beslutet",
        [(NEW, "19 kap. 1 §, 19 kap. 6 §"), (OLD, "14 kap. 1 §")],
    ),
    (
        "pre-assessment-14-days",
        "Förhandsbedömning inom 14 dagar (längre bara vid synnerliga skäl)",
        [(NEW, "20 kap. 2 §"), (OLD, "11 kap. 1 a §")],
    ),
    (
        "investigation-4-months",
        "Utredning avslutad inom fyra månader (längre vid särskilda skäl)",
        [(NEW, "20 kap. 3 §"), (OLD, "11 kap. 2 §")],
    ),
    (
        "support-next-of-kin",
        "Stöd till anhöriga",
        [(NEW, "13 kap. 9 §"), (OLD, "5 kap. 10 §")],
    ),
    ("documentation", "Dokumentation", [(NEW, "14 kap. 3 §"), (OLD, "11 kap. 5 §")]),
    (
        "culling-5-years",
        "Gallring fem år efter sista anteckningen, senast vid utgången av nästa kalenderår",
        [(NEW, "16 kap. 1 §"), (OLD, "12 kap. 1 §")],
    ),
    (
        "never-culled",
        "Gallras aldrig: föräldraskap, adoption, placering av barn",
        [(NEW, "16 kap. 2 §"), (OLD, "12 kap. 2 §")],
    ),
    (
        "child-investigation-until-30",
        "Handlingar i barnavårdsutredningar bevaras tills personen fyllt 30 år (från 15 jan 2026)",
        [
            (
                ("SFS 2025:400", "Socialtjänstlagen (2025:400)", datetime.date(2026, 1, 15), None),
                "16 kap. 2 a §",
            )
        ],
    ),
    (
        "research-birthdays",
        "Bevaras för forskning: födda den 5, 15 och 25 i månaden (och hela regioner: "
        "Östergötland, Gotland, Västernorrland, Göteborg)",
        [(NEW_SOF, "13 kap. 1 §"), (OLD_SOF, "7 kap. 1 §")],
    ),
]


def seed(apps, schema_editor):
    LegalReference = apps.get_model("cases", "LegalReference")
    for topic, rule, references in ROWS:
        for (law, law_name, valid_from, valid_to), reference in references:
            LegalReference.objects.update_or_create(
                topic=topic,
                law=law,
                defaults={
                    "rule": rule,
                    "law_name": law_name,
                    "reference": reference,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                },
            )


def unseed(apps, schema_editor):
    LegalReference = apps.get_model("cases", "LegalReference")
    for topic, _rule, references in ROWS:
        for (law, *_rest), _reference in references:
            LegalReference.objects.filter(topic=topic, law=law).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
