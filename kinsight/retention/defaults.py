"""The statutory rules every municipality starts with (SoL 2025:400 16 kap.,
socialtjänstförordningen 2025:468 13 kap.). The migration seeds them for the
municipalities that exist, ``rules_ensure`` for one made later; an administrator
changes them when the law or the archive authority's decision does."""

from __future__ import annotations

import datetime
from typing import Any

# One dict per rule: kind, trigger, years, birth days, applies from, legal reference.
STATUTORY: list[dict[str, Any]] = [
    {
        "kind": "person_file",
        "trigger": "last_entry",
        "years": 5,
        "legal_reference": "SoL (2025:400) 16 kap. 1 § (tidigare SoL 2001:453 12 kap. 1 §): "
        "uppgifter i en personakt gallras fem år efter sista anteckningen, senast under "
        "det följande kalenderåret.",
    },
    {
        "kind": "child_protection",
        "trigger": "age",
        "years": 30,
        "applies_from": datetime.date(2026, 1, 15),
        "legal_reference": "SoL (2025:400) 16 kap. 2 a §: handlingar om utredningar om "
        "barns skydd och stöd sparas tills barnet fyllt 30 år (från den 15 januari 2026).",
    },
    {
        "kind": "research",
        "trigger": "birth_day",
        "birth_days": "5,15,25",
        "legal_reference": "Socialtjänstförordningen (2025:468) 13 kap. 1 § (tidigare SoF "
        "7 kap. 1 §): akter om personer födda den 5, 15 och 25 i varje månad sparas "
        "för forskning.",
    },
    {
        "kind": "never",
        "trigger": "never",
        "legal_reference": "SoL (2025:400) 16 kap. 2 § (tidigare SoL 2001:453 12 kap. 2 §): "
        "handlingar om föräldraskap, adoption och placering av barn gallras aldrig.",
    },
]


def statutory_rules(municipality_id: int, model: Any) -> list[Any]:
    """Unsaved rows of ``model`` (RetentionRule, or the migration's historical model)."""
    return [model(municipality_id=municipality_id, **values) for values in STATUTORY]
