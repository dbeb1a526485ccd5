"""The field shapes the models repeat, said once.

Each factory returns exactly the field that was written out before (the same
deconstruction: verbose name, null/blank, on_delete, related_name, max_length,
default), so using one never changes the schema; a model passes what differs as an
argument. Models import the module and name the shape: ``by = fields.staff(_("av"))``,
``unit = fields.unit()``, ``status = fields.choice(_("status"), Status)``. The abstract
mixins hold fields several models share by name and options:
``Created`` (who and when), ``Period`` (start_on/end_on, end not before start) and
``Validity`` (reference data valid from/to a day).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.validation import ordered


def reference(
    to: Any,
    label: Any = None,
    *,
    optional: bool = False,
    on_delete: Any = models.PROTECT,
    related_name: str = "+",
    **options: Any,
) -> models.ForeignKey[Any, Any]:
    """A foreign key to ``to``: PROTECT and no reverse accessor unless told otherwise;
    ``optional`` makes it nullable and blank in forms."""
    if optional:
        options.update(null=True, blank=True)
    return models.ForeignKey(
        to, verbose_name=label, on_delete=on_delete, related_name=related_name, **options
    )


def staff(label: Any = None, **options: Any) -> models.ForeignKey[Any, Any]:
    """A member of staff (who did, decided, is responsible)."""
    return reference(settings.AUTH_USER_MODEL, label, **options)


UNIT = _("enhet")


def unit(label: Any = UNIT, **options: Any) -> models.ForeignKey[Any, Any]:
    """An organisation node (the unit a row belongs to, sends or receives)."""
    return reference("core.OrgUnit", label, **options)


def person(label: Any, **options: Any) -> models.ForeignKey[Any, Any]:
    """A person of the register (people.Person)."""
    return reference("people.Person", label, **options)


def optional_date(label: Any, **options: Any) -> models.DateField[Any, datetime.date | None]:
    """A day that may be unknown or not yet come (null and blank)."""
    return models.DateField(label, null=True, blank=True, **options)


def choice(
    label: Any, choices: Any, *, max_length: int = 20, **options: Any
) -> models.CharField[Any, str]:
    """A text field holding one of ``choices`` (a TextChoices class)."""
    return models.CharField(label, max_length=max_length, choices=choices.choices, **options)


def created_at() -> models.DateTimeField[Any, datetime.datetime]:
    """When the row was made; never edited."""
    return models.DateTimeField(default=timezone.now, editable=False)


def not_before(end: str, start: str, *, name: str) -> models.CheckConstraint:
    """The database's guard that the day in ``end``, when set, is not before ``start``."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}), name=name
    )


def within(day: datetime.date, start: datetime.date | None, end: datetime.date | None) -> bool:
    """``day`` lies in the period from ``start`` to ``end`` (inclusive; None: open)."""
    return (start is None or start <= day) and (end is None or end >= day)


class Created(models.Model):
    """Who made the row and when; set by the service, never edited."""

    created_by = staff(editable=False)
    created_at = created_at()  # the factory above: the class attribute is set after

    class Meta:
        abstract = True


class Period(models.Model):
    """From a start day (required) to an end day (open: still running); the end is
    never before the start (checked here for forms and admin, and by the database)."""

    start_on = models.DateField(_("startdatum"))
    end_on = optional_date(_("slutdatum"))

    class Meta:
        abstract = True
        constraints = [
            not_before("end_on", "start_on", name="%(class)s_end_after_start"),
        ]

    def clean(self):
        super().clean()
        ordered(self.start_on, self.end_on, "end_on")


class Validity(models.Model):
    """Reference data (rules, legal references) valid from a day to a day; either end
    may be open."""

    valid_from = optional_date(_("gäller från"))
    valid_to = optional_date(_("gäller till"))

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        ordered(self.valid_from, self.valid_to, "valid_to")

    def is_valid_on(self, day):
        return within(day, self.valid_from, self.valid_to)
