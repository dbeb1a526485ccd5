"""The import's engine, the same for every kind: parse a batch of rows (each refused
with its reason or turned into field values), resolve what they name (persons by
personnummer, cases by their external id, units by number or name) in one query per
batch, compare with what is stored (created, updated, unchanged), and write a batch in
bulk with its ``ImportedRecord`` rows. The kinds themselves are in kinds.py."""

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.audit.services import _json_safe
from kinsight.cases.models import Case
from kinsight.core.models import NodeKind, OrgUnit, User
from kinsight.imports.models import Import, ImportedRecord, ImportKind, Outcome
from kinsight.people.identifiers import NATIONAL_KINDS, Identifier, parse_national
from kinsight.people.models import Person


class Refused(Exception):
    """A row that cannot be imported, with the reason shown in the report."""


@dataclass
class Planned:
    line: int
    outcome: str
    key: str = ""
    reason: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    existing: Any = None

    def as_report(self) -> list[Any]:
        return [self.line, self.outcome, self.key, self.reason]


AMBIGUOUS = -1


class Context:
    """What a run knows across its batches: the municipality, the actor, its units by
    number and name, and the keys already seen in the file (a duplicate is refused)."""

    def __init__(self, run: Import, actor: User):
        self.run = run
        self.actor = actor
        self.municipality_id = run.municipality_id
        self.today = timezone.localdate()
        self.seen: set[str] = set()
        self._person_ids: dict[str, int] = {}
        self.units: dict[str, int] = {}
        for pk, name in OrgUnit.objects.filter(
            municipality_id=self.municipality_id, kind=NodeKind.UNIT, is_active=True
        ).values_list("pk", "name"):
            self.units[str(pk)] = pk
            folded = name.casefold()
            self.units[folded] = AMBIGUOUS if folded in self.units else pk

    def unit(self, text: str) -> int:
        found = self.units.get(text.strip().casefold())
        if found is None:
            raise Refused(
                _("Okänd enhet: %(unit)s. Ange enhetens nummer eller namn.") % {"unit": text}
            )
        if found == AMBIGUOUS:
            raise Refused(_("Flera enheter heter %(unit)s. Ange enhetens nummer.") % {"unit": text})
        return found

    def persons(self, identifiers: Iterable[str]) -> dict[str, Person]:
        wanted = {i for i in identifiers if i}
        rows = Person._base_manager.filter(
            municipality_id=self.municipality_id, identifier__in=wanted
        )
        return {person.identifier: person for person in rows}

    def person_ids(self, identifiers: Iterable[str]) -> dict[str, int]:
        """The ids of the persons with these numbers, kept across the run's batches (a
        relationships file names each person many times)."""
        wanted = {i for i in identifiers if i}
        missing = wanted - self._person_ids.keys()
        if missing:
            self._person_ids.update(
                Person._base_manager.filter(
                    municipality_id=self.municipality_id, identifier__in=missing
                ).values_list("identifier", "pk")
            )
        return {i: self._person_ids[i] for i in wanted if i in self._person_ids}

    def imported(self, kind: str, keys: Iterable[str]) -> dict[str, int]:
        """The ids of the records earlier imports wrote under ``keys`` of ``kind``."""
        rows = ImportedRecord.objects.filter(
            municipality_id=self.municipality_id, kind=kind, key__in=set(keys), created=True
        ).values_list("key", "object_id")
        return dict(rows)

    def cases(self, keys: Iterable[str]) -> dict[str, Case]:
        ids = self.imported(ImportKind.CASES, keys)
        rows = Case._base_manager.filter(municipality_id=self.municipality_id, pk__in=ids.values())
        by_id = {case.pk: case for case in rows}
        return {key: by_id[pk] for key, pk in ids.items() if pk in by_id}


# --- parsing cells ---------------------------------------------------------------------


def required(row: dict[str, str], column: str, max_length: int = 0) -> str:
    value = row.get(column, "").strip()
    if not value:
        raise Refused(_("Kolumnen %(column)s är tom.") % {"column": column})
    if max_length and len(value) > max_length:
        raise Refused(
            _("Kolumnen %(column)s har fler än %(max)s tecken.")
            % {"column": column, "max": max_length}
        )
    return value


def optional(row: dict[str, str], column: str, max_length: int) -> str:
    value = row.get(column, "").strip()
    if len(value) > max_length:
        raise Refused(
            _("Kolumnen %(column)s har fler än %(max)s tecken.")
            % {"column": column, "max": max_length}
        )
    return value


def date(row: dict[str, str], column: str, *, needed: bool = False) -> datetime.date | None:
    text = row.get(column, "").strip()
    if not text:
        if needed:
            raise Refused(_("Kolumnen %(column)s är tom.") % {"column": column})
        return None
    digits = re.sub(r"\D", "", text[:10])
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError as error:
        raise Refused(
            _("Datumet %(value)s i kolumnen %(column)s ska skrivas ÅÅÅÅ-MM-DD.")
            % {"value": text, "column": column}
        ) from error


def choice(row: dict[str, str], column: str, choices: Mapping[str, Any], default: Any = "") -> Any:
    text = row.get(column, "").strip().casefold()
    if not text:
        return default
    if text not in choices:
        raise Refused(
            _("Okänt värde %(value)s i kolumnen %(column)s. Välj bland: %(choices)s.")
            % {"value": text, "column": column, "choices": ", ".join(choices)}
        )
    return choices[text]


def national(row: dict[str, str], column: str) -> Identifier:
    text = row.get(column, "").strip()
    try:
        parsed = parse_national(text)
    except ValidationError as error:
        message = " ".join(error.messages)
        raise Refused(
            _("Ogiltigt personnummer %(value)s: %(why)s") % {"value": text, "why": message}
        ) from error
    if parsed.kind not in NATIONAL_KINDS:  # pragma: no cover - parse_national gives these only
        raise Refused(_("Ogiltigt personnummer %(value)s.") % {"value": text})
    return parsed


# --- planning and writing a batch ------------------------------------------------------


@dataclass
class KindSpec:
    """One kind of row: how a row is parsed (``parse(ctx, row) -> (key, values)``),
    how a batch's references are resolved (``resolve(ctx, parsed) -> None``, filling
    the values or refusing rows), what is stored already (``existing(ctx, keys) ->
    {key: object}``), the fields compared and written, how a new record is made, and
    the persons a record concerns (for the audit row)."""

    kind: str
    model: type[Any]
    fields: list[str]
    parse: Callable[[Context, dict[str, str]], tuple[str, dict[str, Any]]]
    resolve: Callable[[Context, list[Planned]], None]
    existing: Callable[[Context, list[str]], dict[str, Any]]
    make: Callable[[Context, dict[str, Any]], Any]
    subjects: Callable[[Any], list[int]]
    # The changes an update may not make (a signed note), as a refusal's reason.
    frozen: str = ""


def refuse(planned: Planned, reason: str) -> None:
    planned.outcome, planned.reason = Outcome.REFUSED, reason


def plan(spec: KindSpec, ctx: Context, rows: list[tuple[int, dict[str, str]]]) -> list[Planned]:
    """The outcome of each row of a batch, against what is stored now."""
    out: list[Planned] = []
    for line, row in rows:
        planned = Planned(line, Outcome.CREATED)
        try:
            planned.key, planned.values = spec.parse(ctx, row)
            if planned.key in ctx.seen:
                raise Refused(_("Raden finns redan tidigare i filen."))
            ctx.seen.add(planned.key)
        except Refused as refusal:
            refuse(planned, str(refusal))
        out.append(planned)
    live = [p for p in out if p.outcome != Outcome.REFUSED]
    spec.resolve(ctx, live)
    live = [p for p in live if p.outcome != Outcome.REFUSED]
    stored = spec.existing(ctx, [p.key for p in live])
    for planned in live:
        found = stored.get(planned.key)
        if found is None:
            continue
        planned.existing = found
        same = all(_same(getattr(found, name), planned.values[name]) for name in spec.fields)
        if same:
            planned.outcome = Outcome.UNCHANGED
        elif spec.frozen:
            refuse(planned, spec.frozen)
        else:
            planned.outcome = Outcome.UPDATED
    return out


def _same(stored: Any, given: Any) -> bool:
    return (stored or None) == (given or None)


def write(spec: KindSpec, ctx: Context, batch: list[Planned]) -> tuple[list[int], int]:
    """Write a planned batch in bulk (inside the caller's transaction): the new records,
    the changed ones (version + 1) and their ImportedRecord rows. Returns the persons
    concerned and the number of records written."""
    label = spec.model._meta.label_lower
    new = [(p, spec.make(ctx, p.values)) for p in batch if p.outcome == Outcome.CREATED]
    spec.model._base_manager.bulk_create([obj for _p, obj in new])
    changed = [p for p in batch if p.outcome == Outcome.UPDATED]

    def record(p: Planned, obj: Any, **more: Any) -> ImportedRecord:
        return ImportedRecord(
            municipality_id=ctx.municipality_id,
            run=ctx.run,
            kind=spec.kind,
            key=p.key,
            model=label,
            object_id=obj.pk,
            **more,
        )

    records = [record(p, obj, created=True, version=getattr(obj, "version", 1)) for p, obj in new]
    updated = []
    for p in changed:
        obj = p.existing
        before = _json_safe({name: getattr(obj, name) for name in spec.fields})
        for name in spec.fields:
            setattr(obj, name, p.values[name])
        obj.version += 1
        if hasattr(obj, "search_name"):
            obj.search_name = p.values.get("search_name", obj.search_name)
        updated.append(obj)
        records.append(record(p, obj, created=False, version=obj.version, before=before))
    extra = ["version", "search_name"] if spec.model is Person else ["version"]
    if updated:
        spec.model._base_manager.bulk_update(updated, [*spec.fields, *extra], batch_size=1000)
    ImportedRecord.objects.bulk_create(records, batch_size=2000)
    subjects = [pid for _p, obj in new for pid in spec.subjects(obj)]
    subjects += [pid for obj in updated for pid in spec.subjects(obj)]
    return subjects, len(records)
