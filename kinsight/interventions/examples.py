"""The catalogue examples of seed 001 (Kunskapsguiden, "Insatser") and the issue, as
data. Each is marked ``is_example``: the municipality adapts provider, ages and code.
Migration 0002 seeds them for the municipalities that exist; ``examples_add`` (the
catalogue page, and the demo generator) for later ones. Text in Swedish: it is data
shown to users, as the seeds."""

from typing import Any

EXAMPLES: list[dict[str, Any]] = [
    {
        "name": "Stödgrupp för barn som anhöriga",
        "target": "child",
        "provider_kind": "own_unit",
        "format": "group",
        "evidence_level": "experience",
        "description": "Barn träffar andra i liknande situation, får information om "
        "problemen i familjen, avlastning från skuld och skam och stärkta "
        "bemästringsstrategier.",
    },
    {
        "name": "Tonårsprogrammet (stödgrupp för tonåringar)",
        "target": "child",
        "provider_kind": "own_unit",
        "format": "group",
        "evidence_level": "experience",
        "min_age": 14,
        "max_age": 20,
        "description": "Stödgrupp för tonåringar med tio träffar och minst ett enskilt samtal.",
    },
    {
        "name": "Jag och min familj",
        "target": "family",
        "provider_kind": "own_unit",
        "format": "individual",
        "evidence_level": "promising",
        "description": "Familjeinsats som utarbetats inom socialtjänstens missbruks- och "
        "beroendevård i Sandvikens kommun. Ingår i satsningen på systematisk uppföljning "
        "inom Nationellt kompetenscentrum anhöriga.",
    },
    {
        "name": "Coachprogram (Maskrosbarn)",
        "target": "child",
        "provider_kind": "external",
        "provider_name": "Organisationen Maskrosbarn",
        "format": "individual",
        "evidence_level": "promising",
        "description": "En mer strukturerad kontaktpersonsinsats som prövas i ett antal "
        "kommuner, framtagen av Organisationen Maskrosbarn.",
    },
    {
        "name": "Föräldraskapsstöd",
        "target": "parent",
        "provider_kind": "own_unit",
        "format": "group",
        "evidence_level": "unknown",
        "description": "Information om barns behov och stöd i föräldraskapet, för båda "
        "föräldrarna.",
    },
    {
        "name": "Stöd för egen del till förälder",
        "target": "parent",
        "provider_kind": "own_unit",
        "format": "individual",
        "evidence_level": "unknown",
        "description": "Hjälp att ta sig ur ett beroende, eller stöd för egen del till den "
        "andra föräldern.",
    },
    {
        "name": "Stöd i parrelationen",
        "target": "couple",
        "provider_kind": "own_unit",
        "format": "individual",
        "evidence_level": "unknown",
        "description": "Stöd till föräldrarna i deras relation till varandra och till barnet.",
    },
    {
        "name": "Praktiskt stöd och avlastning i hemmet",
        "target": "family",
        "provider_kind": "own_unit",
        "format": "home",
        "evidence_level": "experience",
        "description": "Praktisk hjälp i vardagen med rutiner och struktur, så att barn "
        "och unga avlastas från övermäktigt ansvar.",
    },
    {
        "name": "Familjeterapi",
        "target": "family",
        "provider_kind": "own_unit",
        "format": "individual",
        "evidence_level": "unknown",
        "description": "Hjälp för familjen i kommunikationen och att hitta nya sätt att "
        "relatera till varandra som inte är missbruksrelaterade.",
    },
    {
        "name": "Kontaktperson",
        "target": "child",
        "provider_kind": "own_unit",
        "format": "individual",
        "evidence_level": "experience",
        "description": "En stödjande vuxen utöver föräldrarna.",
    },
    {
        "name": "Umgängesstöd vid placering",
        "target": "placement",
        "provider_kind": "own_unit",
        "format": "individual",
        "evidence_level": "unknown",
        "description": "Stöd till umgänget mellan ett placerat barn och föräldrarna, så "
        "att barn-, föräldra- och familjeperspektivet finns kvar efter placeringen.",
    },
]
