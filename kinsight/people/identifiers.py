"""Swedish person identifiers: parse what a user typed, check it, store it one way.

- personnummer: YYMMDD-NNNC or YYYYMMDDNNNC; the separator may be left out; ``+``
  instead of ``-`` from the calendar year the person turns 100; C is a Luhn check digit
  over the ten digits. Stored as 12 digits.
- samordningsnummer: the same, with the day of birth + 60.
- reserve number (reservnummer): no national format. Each municipality can configure a
  pattern (settings.RESERVE_NUMBER_PATTERN / RESERVE_NUMBER_PATTERNS); the default is the
  birth date and a letter and three digits, e.g. 19850312-K123. Stored without separator.

Every refusal is a ValidationError on the field, in Swedish, saying what to fix.
The ``personnummer`` package (installed) accepts or refuses a number but does not say
why; we need the reason for the user, so the check is written here and the package is
used as an independent oracle in the property tests.
"""

import contextlib
import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_RESERVE_PATTERN = r"(?P<birth>\d{8})[A-Z]\d{3}"


class IdentifierKind(models.TextChoices):
    PERSONNUMMER = "personnummer", gettext_lazy("Personnummer")
    SAMORDNINGSNUMMER = "samordningsnummer", gettext_lazy("Samordningsnummer")
    RESERVE = "reserve", gettext_lazy("Reservnummer")
    NONE = "none", gettext_lazy("Saknas (namn och ungefärlig ålder)")


NATIONAL_KINDS = {IdentifierKind.PERSONNUMMER, IdentifierKind.SAMORDNINGSNUMMER}


@dataclass(frozen=True)
class Identifier:
    kind: str
    value: str  # as stored: 12 digits for national numbers
    birth_date: datetime.date | None

    def display(self):
        return format_identifier(self.kind, self.value)


def format_identifier(kind, value):
    if not value:
        return ""
    if kind in NATIONAL_KINDS and len(value) == 12:
        return f"{value[:8]}-{value[8:]}"
    if kind == IdentifierKind.RESERVE and len(value) > 8 and value[:8].isdigit():
        return f"{value[:8]}-{value[8:]}"
    return value


def luhn_check_digit(nine_digits):
    """The check digit for the nine digits YYMMDDNNN."""
    total = 0
    for index, char in enumerate(nine_digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def _field_label(kind):
    if kind == IdentifierKind.SAMORDNINGSNUMMER:
        return _("Samordningsnumret")
    if kind == IdentifierKind.RESERVE:
        return _("Reservnumret")
    return _("Personnumret")


def _error(field, message):
    return ValidationError({field: message})


_NATIONAL = re.compile(r"^(?P<date>\d{6}|\d{8})(?P<sep>[-+]?)(?P<tail>\d{4})$")
# The kind chosen does not fit the day typed (a samordningsnummer's day is the day of
# birth + 60): one refusal, its text by the kind the day shows.
_KIND_MISMATCH = {
    IdentifierKind.SAMORDNINGSNUMMER: gettext_lazy(
        "Personnumret har dag %(day)s, som ett samordningsnummer (födelsedag + 60). "
        "Välj typen samordningsnummer eller rätta dagen."
    ),
    IdentifierKind.PERSONNUMMER: gettext_lazy(
        "I ett samordningsnummer är dagen födelsedagen + 60 (61–91), här står "
        "%(day)s. Kontrollera numret eller välj typen personnummer."
    ),
}


def parse_national(raw, *, kind=None, today=None, field="identifier"):
    """Parse a personnummer or samordningsnummer. ``kind`` None: decide from the day."""
    today = today or timezone.localdate()
    label = _field_label(kind)
    text = (raw or "").strip().replace(" ", "")
    if not text:
        raise _error(field, _("Ange %(label)s.") % {"label": label.lower()})
    digits = re.sub(r"\D", "", text)
    if re.search(r"[^\d+-]", text):
        raise _error(
            field,
            _(
                "%(label)s får bara innehålla siffror och bindestreck "
                "(eller + för den som fyllt 100)."
            )
            % {"label": label},
        )
    if len(digits) not in (10, 12):
        raise _error(
            field,
            _("%(label)s ska ha 10 eller 12 siffror, du angav %(count)s.")
            % {"label": label, "count": len(digits)},
        )
    match = _NATIONAL.match(text)
    if not match:
        raise _error(
            field,
            _("%(label)s har bindestrecket på fel ställe. Skriv ÅÅMMDD-NNNN eller ÅÅÅÅMMDD-NNNN.")
            % {"label": label},
        )
    date_part, sep, tail = match["date"], match["sep"], match["tail"]
    month, day = int(date_part[-4:-2]), int(date_part[-2:])
    detected = IdentifierKind.SAMORDNINGSNUMMER if day > 60 else IdentifierKind.PERSONNUMMER
    if kind is None:
        kind = detected
        label = _field_label(kind)
    elif kind != detected:
        raise _error(field, _KIND_MISMATCH[detected] % {"day": f"{day:02d}"})
    birth_day = day - 60 if kind == IdentifierKind.SAMORDNINGSNUMMER else day
    yy = int(date_part[-6:-4])
    if len(date_part) == 8:
        year = int(date_part[:4])
    else:
        # The latest year ending in yy that is not after this year (or, with "+", not
        # after the year the person turned 100).
        base = today.year - 100 if sep == "+" else today.year
        year = base - ((base - yy) % 100)
    try:
        birth_date = datetime.date(year, month, birth_day)
    except ValueError:
        raise _error(
            field,
            _("%(label)s innehåller ett datum som inte finns (%(year)s-%(month)s-%(day)s).")
            % {
                "label": label,
                "year": f"{year:04d}",
                "month": f"{month:02d}",
                "day": f"{birth_day:02d}",
            },
        ) from None
    if birth_date > today:
        raise _error(
            field,
            _("%(label)s ger ett födelsedatum i framtiden (%(date)s).")
            % {"label": label, "date": birth_date.isoformat()},
        )
    if year < today.year - 130:
        raise _error(
            field,
            _("%(label)s ger ett födelseår före %(year)s. Kontrollera seklet.")
            % {"label": label, "year": today.year - 130},
        )
    ten = date_part[-6:] + tail
    if luhn_check_digit(ten[:9]) != int(ten[9]):
        raise _error(
            field,
            _(
                "%(label)s har fel kontrollsiffra (den sista siffran). Kontrollera att "
                "numret är rätt skrivet."
            )
            % {"label": label},
        )
    value = f"{year:04d}{date_part[-4:]}{tail}"
    return Identifier(kind=kind, value=value, birth_date=birth_date)


def reserve_pattern(municipality=None):
    patterns = getattr(settings, "RESERVE_NUMBER_PATTERNS", {}) or {}
    code = getattr(municipality, "code", None)
    if code and code in patterns:
        return patterns[code]
    return getattr(settings, "RESERVE_NUMBER_PATTERN", None) or DEFAULT_RESERVE_PATTERN


def normalise_reserve(raw):
    return re.sub(r"[\s-]", "", (raw or "")).upper()


def parse_reserve(raw, *, municipality=None, today=None, field="identifier"):
    today = today or timezone.localdate()
    value = normalise_reserve(raw)
    if not value:
        raise _error(field, _("Ange reservnumret."))
    pattern = re.compile(reserve_pattern(municipality))
    match = pattern.fullmatch(value)
    if not match:
        raise _error(
            field,
            _(
                "Reservnumret följer inte kommunens format. Skriv födelsedatum (ÅÅÅÅMMDD), "
                "en bokstav och tre siffror, t.ex. 19850312-K123."
            )
            if pattern.pattern == DEFAULT_RESERVE_PATTERN
            else _("Reservnumret följer inte kommunens format för reservnummer."),
        )
    birth_date = None
    birth = match.groupdict().get("birth")
    if birth:
        try:
            birth_date = datetime.date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
        except ValueError:
            raise _error(
                field,
                _("Reservnumret innehåller ett datum som inte finns (%(date)s).") % {"date": birth},
            ) from None
        if birth_date > today:
            raise _error(field, _("Reservnumret ger ett födelsedatum i framtiden."))
    return Identifier(kind=IdentifierKind.RESERVE, value=value, birth_date=birth_date)


def parse_identifier(raw, *, kind, municipality=None, today=None, field="identifier"):
    """The identifier as stored, for the kind the user chose."""
    if kind in NATIONAL_KINDS:
        return parse_national(raw, kind=kind, today=today, field=field)
    if kind == IdentifierKind.RESERVE:
        return parse_reserve(raw, municipality=municipality, today=today, field=field)
    if (raw or "").strip():
        raise _error(
            field,
            _("Du har valt att identitet saknas men skrivit ett nummer. Välj typ av nummer."),
        )
    return Identifier(kind=IdentifierKind.NONE, value="", birth_date=None)


def looks_like_identifier(text):
    """For search: is this text a number rather than a name?"""
    stripped = re.sub(r"[\s+-]", "", text or "")
    return len(stripped) >= 6 and sum(c.isdigit() for c in stripped) >= 6


def search_forms(text, *, municipality=None, today=None):
    """Stored values a typed number may stand for (empty if it is none)."""
    found = []
    with contextlib.suppress(ValidationError):
        found.append(parse_national(text, today=today).value)
    with contextlib.suppress(ValidationError):
        found.append(parse_reserve(text, municipality=municipality, today=today).value)
    return found


def synthetic_national(birth_date, serial, *, coordination=False):
    """A valid 12-digit number for generated data (serial 1–999, parity gives sex)."""
    day = birth_date.day + (60 if coordination else 0)
    nine = f"{birth_date.year % 100:02d}{birth_date.month:02d}{day:02d}{serial:03d}"
    return f"{birth_date.year:04d}{birth_date.month:02d}{day:02d}{serial:03d}" + str(
        luhn_check_digit(nine)
    )
