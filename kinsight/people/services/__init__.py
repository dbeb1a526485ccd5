"""Writes to persons and relationships. Each function takes the acting user, checks
that they may act, validates, writes and audits in one transaction; a refusal is a
ValidationError on the field, in Swedish, and nothing is half-saved. By sub-domain:
persons.py (register, update), relationships.py (relationships, relatives).
Callers import this package (``from kinsight.people import services``)."""

from kinsight.people.services.persons import (  # noqa: F401
    ADDRESS_FIELDS,
    EDITABLE_FIELDS,
    PERSON_FIELDS,
    DuplicateIdentifier,
    person_register,
    person_update,
)
from kinsight.people.services.relationships import (  # noqa: F401
    RELATIONSHIP_FIELDS,
    display_identifier,
    person_add_relative,
    relationship_add,
    relationship_end,
    relationship_remove,
)
