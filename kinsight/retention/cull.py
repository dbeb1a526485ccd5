"""Removing persons' files: the persons and every row that hangs on them, found by
walking the models' relations, so a model added later is culled with the file
without a change here.

Every row pointing at a removed row goes too (whatever its ``on_delete``: PROTECT
guards against a mistaken delete, and culling is the deliberate one), except:

- a ``SET_NULL`` reference is cleared (a family work started from a culled case stays);
- ``DETACH``: a row in another person's file that names this person keeps its place
  with the reference cleared (the parent's record of a child; a report about another
  child made from a culled parent's record; a consent given by a culled guardian; an
  assessment part that names another person).

The foreign keys are checked when the transaction commits (Django makes them
deferrable on PostgreSQL and SQLite), so the rows are removed model by model in one
transaction without ordering them. The cost is a fixed number of statements per model
reached, whatever the number of persons in the batch.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import models

from kinsight.people.models import Person

DETACH = {
    ("detection.ChildRecord", "child"),
    ("detection.ConcernReport", "child_record"),
    ("family.Consent", "given_by"),
    ("assessment.AssessmentPart", "other_person"),
}


def _references(model: type[models.Model]) -> list[tuple[Any, models.ForeignKey[Any, Any]]]:
    """Every foreign key pointing at ``model``, hidden ones (related_name "+") too."""
    found = []
    for relation in model._meta.get_fields(include_hidden=True):
        field = getattr(relation, "field", None)
        if relation.auto_created and not relation.concrete and isinstance(field, models.ForeignKey):
            found.append((relation.related_model, field))  # OneToOneField is one too
    return found


def collect(person_ids: list[int]) -> tuple[dict[Any, set[Any]], list[tuple[Any, str, set[Any]]]]:
    """The rows to remove ({model: ids}) and the references to clear ([(model, field,
    ids of the rows pointed at)]) for the files of ``person_ids``."""
    remove: dict[Any, set[Any]] = defaultdict(set)
    clear: list[tuple[Any, str, set[Any]]] = []
    todo: list[tuple[Any, set[Any]]] = [(Person, set(person_ids))]
    while todo:
        model, ids = todo.pop()
        ids = ids - remove[model]
        if not ids:
            continue
        remove[model] |= ids
        for related, field in _references(model):
            if (related._meta.label, field.name) in DETACH or (
                field.remote_field.on_delete is models.SET_NULL
            ):
                clear.append((related, field.name, ids))
            elif field.remote_field.on_delete is not models.DO_NOTHING:
                rows = related._base_manager.filter(**{f"{field.name}__in": ids})
                found = set(rows.values_list("pk", flat=True))
                if found:
                    todo.append((related, found))
    return remove, clear


def cull(person_ids: list[int]) -> dict[str, int]:
    """Remove the files of ``person_ids`` inside the caller's transaction; returns how
    many rows of each model (by label) went."""
    remove, clear = collect(person_ids)
    for model, name, ids in clear:
        model._base_manager.filter(**{f"{name}__in": ids}).update(**{name: None})
    removed = {}
    for model, ids in remove.items():
        if ids:
            rows = model._base_manager.filter(pk__in=ids)
            removed[model._meta.label] = rows._raw_delete(rows.db)
    return removed
