"""Setting up a municipality before anyone can sign in: its organisation from a CSV
and its first administrator. Used by the operators' management commands
(docs/operations.md, "First municipality and administrator"), never by a page. There is
no acting user yet, so the audit rows have none (actor=None), as the operator's
commands are recorded elsewhere.
"""

import csv
from dataclasses import dataclass, field
from typing import IO

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from kinsight.audit.services import audit_created
from kinsight.core.models import Membership, Municipality, NodeKind, OrgUnit, Role, UnitType, User
from kinsight.core.services import STAFF_FIELDS, UNIT_FIELDS

ORGANISATION_COLUMNS = ("name", "kind", "parent", "unit_type")


class SetupError(ValueError):
    """A refusal of a setup step, worded for the operator."""


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def _choice(value: str, choices: type[NodeKind] | type[UnitType], column: str, line: int) -> str:
    """A choice given by its code (``unit``) or its Swedish label (``Enhet``)."""
    wanted = value.strip().casefold()
    for code, label in choices.choices:
        if wanted in (code.casefold(), str(label).casefold()):
            return code
    allowed = ", ".join(code for code, _label in choices.choices)
    raise SetupError(f"line {line}: {column} {value!r} is not one of {allowed}")


def _rows(source: IO[str]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(source)
    missing = [name for name in ORGANISATION_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise SetupError(f"the header lacks the column(s) {', '.join(missing)}")
    return [
        (number, {key: (value or "").strip() for key, value in row.items() if key})
        for number, row in enumerate(reader, start=2)
    ]


def _parent(municipality: Municipality, name: str, line: int) -> OrgUnit | None:
    if not name:
        return None
    found = list(OrgUnit.objects.filter(municipality=municipality, name=name)[:2])
    if len(found) != 1:
        problem = "no unit" if not found else "more than one unit"
        raise SetupError(f"line {line}: parent {name!r}: {problem} has that name")
    return found[0]


def organisation_import(municipality: Municipality, source: IO[str]) -> ImportResult:
    """The units of a CSV (``name,kind,parent,unit_type``; a parent on an earlier line
    or already there), all or none. A unit with the same name under the same parent is
    kept as it is, so running the same file again changes nothing."""
    result = ImportResult()
    with transaction.atomic():
        for line, row in _rows(source):
            kind = _choice(row["kind"], NodeKind, "kind", line)
            unit_type = (
                _choice(row["unit_type"], UnitType, "unit_type", line) if row["unit_type"] else ""
            )
            parent = _parent(municipality, row["parent"], line)
            if OrgUnit.objects.filter(
                municipality=municipality, parent=parent, name=row["name"]
            ).exists():
                result.existing.append(row["name"])
                continue
            unit = OrgUnit(
                municipality=municipality,
                parent=parent,
                kind=kind,
                unit_type=unit_type,
                name=row["name"],
            )
            try:
                unit.full_clean()
            except ValidationError as error:
                raise SetupError(f"line {line}: {'; '.join(error.messages)}") from error
            unit.save()
            audit_created(None, unit, UNIT_FIELDS, setup="organisation_import")
            result.created.append(unit.name)
    return result


def administrator_create(
    municipality: Municipality,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    unit_name: str = "",
) -> User:
    """A member of staff with the administrator role, held in ``unit_name`` (by default
    the top of the organisation tree, which must exist). The password must pass the
    password rules; the administrator enrols two-factor at the first sign-in."""
    tops = OrgUnit.objects.filter(municipality=municipality)
    tops = tops.filter(name=unit_name) if unit_name else tops.filter(parent=None)
    units = list(tops[:2])
    if len(units) != 1:
        raise SetupError(
            f"name the unit to hold the role with --unit ({len(units)} candidates found); "
            "import the organisation first"
        )
    with transaction.atomic():
        user = User(
            municipality=municipality,
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
        )
        try:
            validate_password(password, user)
            user.set_password(password)
            user.full_clean()
        except ValidationError as error:
            raise SetupError("; ".join(error.messages)) from error
        user.save()
        audit_created(None, user, STAFF_FIELDS, setup="administrator_create")
        membership = Membership.objects.create(
            municipality=municipality, user=user, unit=units[0], role=Role.ADMINISTRATOR
        )
        audit_created(None, membership, ["user", "unit", "role"], setup="administrator_create")
        return user
