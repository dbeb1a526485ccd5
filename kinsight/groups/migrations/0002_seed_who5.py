"""Ship one freely usable well-being instrument for the groups' measurement plans: the
WHO-5 Well-Being Index, as data.

Five items, each 0-5 over the last two weeks; the raw sum is 0-25 (times 4 gives the
percentage scale). Higher is better. A raw sum below 13 is the commonly used sign of
low well-being, kept as the clinical cut-off 12.5 for clinically significant change.
No published norms (reference SD, reliability) are seeded: the effect report then
uses the sample's own baseline SD and Cronbach's alpha and says so; a municipality can
enter norms from a source it trusts.
"""

from django.db import migrations

TIME = [
    "Vid inget tillfälle",
    "Någon gång",
    "Mindre än hälften av tiden",
    "Mer än hälften av tiden",
    "Större delen av tiden",
    "Hela tiden",
]

ITEMS = [
    ("Glad och på gott humör", "Jag har känt mig glad och på gott humör."),
    ("Lugn och avslappnad", "Jag har känt mig lugn och avslappnad."),
    ("Aktiv och energisk", "Jag har känt mig aktiv och full av energi."),
    ("Utvilad", "Jag har vaknat och känt mig pigg och utvilad."),
    ("Intressant vardag", "Min vardag har varit fylld av saker som intresserar mig."),
]

WHO5 = {
    "code": "who5",
    "name": "WHO-5 – välbefinnandeindex",
    "description": (
        "Fem frågor om hur man har mått de senaste två veckorna, för ungdomar och vuxna. "
        "Summan 0–25; högre är bättre."
    ),
    "licence_note": (
        "WHO-5 får användas fritt utan tillstånd; det förvaltas av Psychiatric Research "
        "Unit, Region Hovedstaden. Frågorna är återgivna på svenska med egna ord; använd "
        "den publicerade svenska versionen när den exakta formuleringen behövs och "
        "kontrollera förvaltarens aktuella villkor."
    ),
    "is_licensed_text_included": True,
    "for_adults": True,
    "for_children": True,
    "higher_is_better": True,
    "clinical_cutoff": 12.5,
    "norms_source": "Gränsen summa under 13 för lågt välbefinnande (WHO-5, vanlig tolkning).",
}


def seed(apps, schema_editor):
    Instrument = apps.get_model("assessment", "Instrument")
    InstrumentItem = apps.get_model("assessment", "InstrumentItem")
    AnswerOption = apps.get_model("assessment", "AnswerOption")
    Cutoff = apps.get_model("assessment", "Cutoff")
    fields = {k: v for k, v in WHO5.items() if k != "code"}
    instrument, _ = Instrument.objects.update_or_create(
        municipality=None, code=WHO5["code"], defaults=fields
    )
    instrument.items.all().delete()
    instrument.cutoffs.all().delete()
    for number, (label, text) in enumerate(ITEMS, start=1):
        item = InstrumentItem.objects.create(
            instrument=instrument, number=number, label=label, text=text, max_score=5
        )
        AnswerOption.objects.bulk_create(
            AnswerOption(item=item, order=score + 1, label=answer, score=score)
            for score, answer in enumerate(TIME)
        )
    Cutoff.objects.create(
        instrument=instrument, label="Lågt välbefinnande", min_score=0, max_score=12
    )
    Cutoff.objects.create(
        instrument=instrument,
        label="Inget tecken på lågt välbefinnande",
        min_score=13,
        max_score=25,
        order=1,
    )


def unseed(apps, schema_editor):
    apps.get_model("assessment", "Instrument").objects.filter(
        municipality=None, code=WHO5["code"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
        ("assessment", "0003_instrument_norms"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
