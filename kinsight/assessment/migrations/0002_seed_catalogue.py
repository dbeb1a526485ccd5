"""Seed the protective-factor catalogue (seed 001, "Insatser för att minska risk och
stärka skyddsfaktorer") and the AUDIT and DUDIT instruments as data.

The items are written in Swedish in our own words, faithful to the published
instruments' structure (order, answer scales and scores). Use the published Swedish
versions when the exact wording matters. AUDIT: 10 items, 0–4 points each (items 9 and
10: 0, 2 or 4), total 0–40. DUDIT: 11 items, 0–4 points each (items 10 and 11: 0, 2 or
4), total 0–44. Cut-offs as commonly used in Swedish practice; an administrator can
change them as data.

No licensed instrument (ASI, SDQ, BBIC) is seeded: a customer with a licence configures
its own score-only instrument (kinsight.assessment.services.instrument_configure).
"""

from django.db import migrations

SOURCE_001 = "Kunskapsguiden: Insatser, Socialstyrelsen"

PROTECTIVE_FACTORS = [
    ("information", "Adekvat information och svar på frågor", "any"),
    ("talk_about_problems", "Hjälp till familjen att kunna tala om problemen", "family"),
    ("express_worry", "Barnet får ge uttryck för sin oro och sina upplevelser", "child"),
    ("friends_leisure", "Barnet har möjlighet till kamratrelationer och fritidsintressen", "child"),
    ("school_support", "Barnet får stöd i skolarbetet", "child"),
    (
        "supporting_adult",
        "Trygga relationer i familjen och någon stödjande vuxen utöver föräldrarna",
        "child",
    ),
    (
        "parents_get_help",
        "Föräldrarna får den hjälp och det stöd de behöver, för egen del och i föräldraskapet",
        "parent",
    ),
]

FREQUENCY = [
    "Aldrig",
    "Mer sällan än en gång i månaden",
    "Varje månad",
    "Varje vecka",
    "Dagligen eller nästan dagligen",
]
HOW_OFTEN = [
    "Aldrig",
    "En gång i månaden eller mer sällan",
    "2–4 gånger i månaden",
    "2–3 gånger i veckan",
    "4 gånger i veckan eller oftare",
]
YES_NO_LAST_YEAR = [
    ("Nej", 0),
    ("Ja, men inte under det senaste året", 2),
    ("Ja, under det senaste året", 4),
]


def _scale(labels):
    return [(label, score) for score, label in enumerate(labels)]


AUDIT_ITEMS = [
    ("Hur ofta alkohol", "Hur ofta dricker du alkohol?", _scale(HOW_OFTEN)),
    (
        "Standardglas en vanlig dag",
        "Hur många standardglas dricker du en vanlig dag när du dricker alkohol?",
        _scale(["1–2", "3–4", "5–6", "7–9", "10 eller fler"]),
    ),
    (
        "Sex glas eller fler",
        "Hur ofta dricker du sex standardglas eller mer vid ett och samma tillfälle?",
        _scale(FREQUENCY),
    ),
    (
        "Kunde inte sluta",
        "Hur ofta under det senaste året har du inte kunnat sluta dricka när du väl hade börjat?",
        _scale(FREQUENCY),
    ),
    (
        "Försummade det som förväntades",
        "Hur ofta under det senaste året har du låtit bli att göra det som normalt "
        "förväntades av dig på grund av att du drack?",
        _scale(FREQUENCY),
    ),
    (
        "Återställare på morgonen",
        "Hur ofta under det senaste året har du behövt dricka på morgonen för att komma "
        "igång efter att ha druckit mycket dagen före?",
        _scale(FREQUENCY),
    ),
    (
        "Skuld eller dåligt samvete",
        "Hur ofta under det senaste året har du känt skuld eller haft dåligt samvete "
        "efter att ha druckit?",
        _scale(FREQUENCY),
    ),
    (
        "Minnesluckor",
        "Hur ofta under det senaste året har du inte kunnat minnas vad som hände kvällen "
        "före på grund av att du hade druckit?",
        _scale(FREQUENCY),
    ),
    (
        "Skada",
        "Har du själv eller någon annan skadats på grund av att du druckit?",
        YES_NO_LAST_YEAR,
    ),
    (
        "Andras oro",
        "Har en släkting, vän, läkare eller någon annan oroat sig för ditt drickande "
        "eller föreslagit att du ska dricka mindre?",
        YES_NO_LAST_YEAR,
    ),
]

DUDIT_ITEMS = [
    (
        "Hur ofta droger",
        "Hur ofta använder du andra droger än alkohol?",
        _scale(HOW_OFTEN),
    ),
    (
        "Flera droger samtidigt",
        "Använder du fler än en sorts drog vid samma tillfälle?",
        _scale(HOW_OFTEN),
    ),
    (
        "Gånger en vanlig dag",
        "Hur många gånger tar du droger en vanlig dag när du använder droger?",
        _scale(["0", "1–2", "3–4", "5–6", "7 eller fler"]),
    ),
    (
        "Kraftigt påverkad",
        "Hur ofta är du kraftigt påverkad av droger?",
        _scale(FREQUENCY),
    ),
    (
        "Stark längtan",
        "Hur ofta under det senaste året har din längtan efter droger varit så stark "
        "att du inte kunnat stå emot?",
        _scale(FREQUENCY),
    ),
    (
        "Kunde inte sluta",
        "Hur ofta under det senaste året har du inte kunnat sluta ta droger när du väl "
        "hade börjat?",
        _scale(FREQUENCY),
    ),
    (
        "Försummade något",
        "Hur ofta under det senaste året har du tagit droger och sedan låtit bli att "
        "göra något du borde ha gjort?",
        _scale(FREQUENCY),
    ),
    (
        "Drog på morgonen",
        "Hur ofta under det senaste året har du behövt ta en drog på morgonen efter att "
        "ha använt mycket droger dagen före?",
        _scale(FREQUENCY),
    ),
    (
        "Skuld eller dåligt samvete",
        "Hur ofta under det senaste året har du känt skuld eller haft dåligt samvete för "
        "att du använt droger?",
        _scale(FREQUENCY),
    ),
    (
        "Skada",
        "Har du själv eller någon annan skadats, psykiskt eller fysiskt, på grund av att "
        "du använt droger?",
        YES_NO_LAST_YEAR,
    ),
    (
        "Andras oro",
        "Har en släkting, vän, läkare, sjuksköterska eller någon annan oroat sig för att "
        "du använder droger eller sagt att du borde sluta?",
        YES_NO_LAST_YEAR,
    ),
]

INSTRUMENTS = [
    {
        "code": "audit",
        "name": "AUDIT – Alcohol Use Disorders Identification Test",
        "description": "Tio frågor om alkoholvanor det senaste året. Summan 0–40.",
        "licence_note": (
            "AUDIT är upphovsrättsskyddat av WHO och fritt att använda. Frågorna är "
            "återgivna på svenska med egna ord; använd den publicerade svenska versionen "
            "när den exakta formuleringen behövs."
        ),
        "items": AUDIT_ITEMS,
        "cutoffs": [
            ("Låg risk", 0, 5, "female"),
            ("Riskbruk", 6, 15, "female"),
            ("Låg risk", 0, 7, "male"),
            ("Riskbruk", 8, 15, "male"),
            ("Skadligt bruk", 16, 19, ""),
            ("Möjligt beroende", 20, 40, ""),
        ],
    },
    {
        "code": "dudit",
        "name": "DUDIT – Drug Use Disorders Identification Test",
        "description": "Elva frågor om droganvändning (andra droger än alkohol). Summan 0–44.",
        "licence_note": (
            "DUDIT är fritt att använda (public domain) och ska användas som det är "
            "publicerat. Frågorna är återgivna på svenska med egna ord; använd den "
            "publicerade svenska versionen när den exakta formuleringen behövs."
        ),
        "items": DUDIT_ITEMS,
        "cutoffs": [
            ("Inga tecken på drogrelaterade problem", 0, 1, "female"),
            ("Troliga drogrelaterade problem", 2, 24, "female"),
            ("Inga tecken på drogrelaterade problem", 0, 5, "male"),
            ("Troliga drogrelaterade problem", 6, 24, "male"),
            ("Troligt beroende", 25, 44, ""),
        ],
    },
]


def seed(apps, schema_editor):
    ProtectiveFactor = apps.get_model("assessment", "ProtectiveFactor")
    Instrument = apps.get_model("assessment", "Instrument")
    InstrumentItem = apps.get_model("assessment", "InstrumentItem")
    AnswerOption = apps.get_model("assessment", "AnswerOption")
    Cutoff = apps.get_model("assessment", "Cutoff")
    for order, (code, label, target) in enumerate(PROTECTIVE_FACTORS, start=1):
        ProtectiveFactor.objects.update_or_create(
            municipality=None,
            code=code,
            defaults={"label": label, "target": target, "order": order, "source": SOURCE_001},
        )
    for data in INSTRUMENTS:
        instrument, _ = Instrument.objects.update_or_create(
            municipality=None,
            code=data["code"],
            defaults={
                "name": data["name"],
                "description": data["description"],
                "licence_note": data["licence_note"],
                "is_licensed_text_included": True,
                "for_adults": True,
                "for_children": False,
            },
        )
        instrument.items.all().delete()
        instrument.cutoffs.all().delete()
        for number, (label, text, options) in enumerate(data["items"], start=1):
            scores = [score for _, score in options]
            item = InstrumentItem.objects.create(
                instrument=instrument,
                number=number,
                label=label,
                text=text,
                min_score=min(scores),
                max_score=max(scores),
            )
            AnswerOption.objects.bulk_create(
                AnswerOption(item=item, order=i, label=label, score=score)
                for i, (label, score) in enumerate(options, start=1)
            )
        Cutoff.objects.bulk_create(
            Cutoff(instrument=instrument, label=label, min_score=lo, max_score=hi, sex=sex, order=i)
            for i, (label, lo, hi, sex) in enumerate(data["cutoffs"], start=1)
        )


def unseed(apps, schema_editor):
    apps.get_model("assessment", "Instrument").objects.filter(
        municipality=None, code__in=[i["code"] for i in INSTRUMENTS]
    ).delete()
    apps.get_model("assessment", "ProtectiveFactor").objects.filter(
        municipality=None, code__in=[code for code, _, _ in PROTECTIVE_FACTORS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
