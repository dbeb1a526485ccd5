"""Flags (markeringar) on a child record: noted, and ended, on dates."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.core.models import User
from kinsight.core.services import create_audited, update_audited
from kinsight.core.validation import check_choice, today
from kinsight.detection.models import (
    ChildFlag,
    ChildRecord,
    FlagKind,
)

FLAG_FIELDS = ["record", "kind", "noted_on", "ended_on", "note"]


def child_flag_add(
    *,
    actor: User,
    record: ChildRecord,
    kind: str,
    noted_on: datetime.date | None = None,
    note: str = "",
) -> ChildFlag:
    require(ChildRecord.objects.visible_to(actor, "change"), record)
    noted_on = noted_on or today()
    errors: dict[str, str] = {}
    check_choice(errors, "kind", kind, FlagKind.values, _("Välj en markering i listan."))
    if noted_on > today():
        errors["noted_on"] = _("Datumet kan inte ligga i framtiden.")
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = _("Skriv högst 300 tecken i den korta anteckningen.")
    if not errors and ChildFlag.objects.filter(record=record, kind=kind, ended_on__isnull=True):
        errors["kind"] = _("%(flag)s är redan markerat för barnet.") % {
            "flag": FlagKind(kind).label
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return create_audited(
            actor,
            ChildFlag,
            FLAG_FIELDS,
            record=record,
            kind=kind,
            noted_on=noted_on,
            noted_by=actor,
            note=note,
        )


def child_flag_end(
    *,
    actor: User,
    flag: ChildFlag,
    expected_version: int | None,
    ended_on: datetime.date | None = None,
) -> ChildFlag:
    require(ChildFlag.objects.visible_to(actor, "change"), flag)
    ended_on = ended_on or today()
    stored = ChildFlag._base_manager.get(pk=flag.pk)
    if stored.ended_on is not None:
        raise ValidationError({"ended_on": _("Markeringen är redan avslutad.")})
    if ended_on > today():
        raise ValidationError({"ended_on": _("Datumet kan inte ligga i framtiden.")})
    if ended_on < stored.noted_on:
        raise ValidationError(
            {
                "ended_on": _("Slutdatum kan inte vara före startdatum (%(day)s).")
                % {"day": stored.noted_on}
            }
        )
    with transaction.atomic():
        return update_audited(
            actor, flag, {"ended_on": ended_on}, expected_version=expected_version, stored=stored
        )
