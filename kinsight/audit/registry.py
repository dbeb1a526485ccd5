"""What the audit log knows about each kind of object: whose personal data it is, and
what to call it for the log reviewer.

The audit app is a lower layer and imports none of the apps whose objects it logs;
each app registers its models from ``AppConfig.ready()``:

    register(ChildRecord, persons=("child", "parent"), related=("child",), label=...)

- ``persons``: lookup paths from the object to person ids (``"pk"`` for a person,
  ``"case__person"`` for a journal note), or a function ``(queryset) -> [querysets of
  person ids]``. ``audit_record`` resolves them when the row is written, in one query
  for all the ids of the row (a list read included), and stores the result as
  ``AuditSubject`` rows: the writer knows the object, so the mapping is the one that
  held when the person's data was read or changed.
- ``label``: ``(object) -> text`` shown in the log, resolved when the log is shown
  (one query per object type on the page, ``related`` joined, ``defer`` left unread);
  nothing of it is stored in the log.
- ``search``: only for the person model: ``(municipality_id, text) -> queryset``, the
  log reviewer's search by personnummer or name.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PERSON_TYPE = "people.person"
LIST_ID = "*"


@dataclass(frozen=True)
class Kind:
    model: type[Model]
    persons: tuple | Callable = ()
    label: Callable | None = None
    related: tuple = ()
    search: Callable | None = None
    # For the person kind: who has access to the person now, and why (rows to show).
    access: Callable | None = None
    defer: tuple = ()  # fields not read to label the objects (files kept in the row)


_kinds: dict[str, Kind] = {}


def register(model, *, persons=(), label=None, related=(), search=None, access=None, defer=()):
    _kinds[model._meta.label_lower] = Kind(model, persons, label, related, search, access, defer)


def person_kind():
    return _kinds.get(PERSON_TYPE)


def entry_ids(object_id, changes):
    """The ids an audit row is about: its object, or the ids a list read showed."""
    if object_id == LIST_ID:
        ids = (changes or {}).get("ids") or []
    else:
        ids = [object_id] if object_id else []
    return [int(i) for i in ids if str(i).isdigit()]


def persons_of(object_type, ids, municipality_id):
    """Sorted ids of the persons the objects concern: one query whatever the number
    of ids (a UNION over the registered paths), none for a type that holds no
    personal data."""
    kind = _kinds.get(object_type)
    if kind is None or not kind.persons or not ids:
        return []
    base = kind.model._base_manager.filter(municipality_id=municipality_id, pk__in=ids)
    base = base.order_by()
    if callable(kind.persons):
        selects = kind.persons(base)
    else:
        selects = [
            base.filter(**{f"{path}__isnull": False}).values_list(path, flat=True)
            for path in kind.persons
        ]
    query = selects[0].union(*selects[1:]) if len(selects) > 1 else selects[0]
    return sorted(set(query))


class _NeedsQuery(Exception):
    pass


def _person_at(obj, path):
    """The person id at ``path`` from ``obj`` and the relations already loaded on it
    (no query); _NeedsQuery if the path crosses a relation that is not loaded."""
    parts = path.split("__")
    for index, part in enumerate(parts):
        if part == "pk":
            return obj.pk
        field = obj._meta.get_field(part)
        if not (field.concrete and (field.many_to_one or field.one_to_one)):
            raise _NeedsQuery
        if index == len(parts) - 1 or getattr(obj, field.attname) is None:
            return getattr(obj, field.attname)
        if not field.is_cached(obj):
            raise _NeedsQuery
        obj = getattr(obj, part)
    raise _NeedsQuery  # pragma: no cover - a path ends on a field


def persons_in_memory(object_type, objects):
    """Sorted person ids of ``objects`` read from the objects themselves, or None when
    that needs the database (then persons_of asks it, in one query)."""
    kind = _kinds.get(object_type)
    if kind is None or not kind.persons:
        return []
    if callable(kind.persons) or not all(isinstance(o, kind.model) for o in objects):
        return None
    try:
        found = {_person_at(o, path) for o in objects for path in kind.persons}
    except _NeedsQuery:
        return None
    return sorted(found - {None})


# Names -------------------------------------------------------------------------------


def years(age):
    return ngettext("%(age)s år", "%(age)s år", age) % {"age": age}


def person_text(person):
    """ "Anna Andersson, 41 år" for anything with ``full_name`` (or ``first_name``)
    and ``age()``."""
    name = getattr(person, "full_name", None) or person.first_name
    age = person.age()
    return name if age is None else f"{name}, {years(age)}"


def titled(obj, text):
    """ "Familjeplan: Familjen A": the object's kind, then what names it."""
    return f"{capfirst(obj._meta.verbose_name)}: {text}"


def label_of(obj):
    """The registered label of ``obj`` (labels of related objects reuse each other)."""
    kind = _kinds.get(obj._meta.label_lower)
    if kind is None or kind.label is None:
        return _fallback(obj._meta.label_lower, obj.pk)
    return str(kind.label(obj))


def _model(object_type):
    kind = _kinds.get(object_type)
    if kind is not None:
        return kind.model
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _fallback(object_type, object_id):
    model = _model(object_type)
    if model is None:
        return f"{object_type} {object_id}".strip()
    return f"{capfirst(model._meta.verbose_name)} {object_id}"


def _list_label(object_type, changes):
    model = _model(object_type)
    count = len((changes or {}).get("ids") or [])
    if model is None:
        return _("Lista (%(count)s): %(type)s") % {"count": count, "type": object_type}
    meta = model._meta
    name = meta.verbose_name if count == 1 else meta.verbose_name_plural
    return _("Lista med %(count)s %(name)s") % {"count": count, "name": name}


def _objects(entries, municipality_id):
    """{(object_type, id): object} for the single-object rows: one query per type."""
    wanted = defaultdict(set)
    for entry in entries:
        if entry.object_type in _kinds and entry.object_id != LIST_ID:
            wanted[entry.object_type].update(entry_ids(entry.object_id, None))
    found = {}
    for object_type, ids in wanted.items():
        kind = _kinds[object_type]
        rows = kind.model._base_manager.filter(municipality_id=municipality_id, pk__in=ids)
        for obj in rows.select_related(*kind.related).defer(*kind.defer):
            found[(object_type, str(obj.pk))] = obj
    return found


def labels(entries, municipality_id):
    """{entry.pk: human-readable name of what the row is about}, for the log reviewer."""
    found = _objects(entries, municipality_id)
    result = {}
    for entry in entries:
        if not entry.object_type:
            result[entry.pk] = "–"
        elif entry.object_id == LIST_ID:
            result[entry.pk] = _list_label(entry.object_type, entry.changes)
        elif (entry.object_type, entry.object_id) in found:
            result[entry.pk] = label_of(found[(entry.object_type, entry.object_id)])
        elif entry.object_type in _kinds:
            fallback = _fallback(entry.object_type, entry.object_id)
            result[entry.pk] = _("%(object)s (finns inte längre)") % {"object": fallback}
        else:
            result[entry.pk] = _fallback(entry.object_type, entry.object_id)
    return result
