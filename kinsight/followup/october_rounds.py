"""The October survey's rounds, counted once and kept (OctoberRound, OctoberCount), so
that the survey page, its figure and the annual report read a few rows per unit instead
of counting every open case at each request.

When a round is counted and kept (docs/concepts.md, "The October survey"):

- a census date before today is counted on its first request (or by the nightly run)
  and kept; later requests read the kept counts;
- a census date of today is counted at each request and not kept (the day is not over);
- records dated before a census date can still change later (a case registered late,
  a corrected birth date, a closing date set afterwards), so the nightly run
  (``rollup_minimum_level`` without ``--running``: ``recount_rounds``) counts every
  kept round of a 31 October again from the cases and rewrites it, and also keeps the
  default rounds (the last 31 October and two years before, the default unit types). A
  kept round is therefore at most a day behind such late changes;
- a round of another day (an analysis on a date of one's own) is kept until the
  nightly run drops it, so that the nightly work stays one round per October and set
  of unit types: asked for again, it is counted afresh.

The counts hold no personal data (kinsight.followup.october_models). Keeping or
recounting a round is recorded in the municipality's audit chain.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.core.models import Municipality, User
from kinsight.followup.minimum_level import _years_before
from kinsight.followup.october import DEFAULT_UNIT_TYPES, CountRow, count_round, last_october
from kinsight.followup.october_models import OctoberCount, OctoberRound

ROUND_TYPE = "followup.octoberround"
FIELDS = ("unit_id", "sex", "band", "rank", "expecting", "living", "person_group", "persons")


def types_key(unit_types: Iterable[str]) -> str:
    return ",".join(sorted(set(unit_types)))


def _write(round_: OctoberRound, rows: Sequence[CountRow]) -> None:
    fields = FIELDS[1:]
    OctoberCount.objects.bulk_create(
        [
            OctoberCount(
                municipality_id=round_.municipality_id,
                round=round_,
                unit_id=row.unit,
                **dict(zip(fields, row[1:], strict=True)),
            )
            for row in rows
        ],
        batch_size=1000,
    )


def _audit(actor: User | None, municipality_id: int, object_id: str, changes: dict) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        municipality_id=municipality_id,
        object_type=ROUND_TYPE,
        object_id=object_id,
        changes={"october": changes},
    )


def _keep(municipality_id: int, census: datetime.date, key: str) -> list[CountRow]:
    """Count the round and keep it (unless another request just did)."""
    rows = count_round(municipality_id, census, key.split(","))
    with transaction.atomic():
        round_, created = OctoberRound.objects.get_or_create(
            municipality_id=municipality_id, census=census, unit_types=key
        )
        if created:
            _write(round_, rows)
            changes = {"census": census.isoformat(), "unit_types": key, "rows": len(rows)}
            _audit(None, municipality_id, str(round_.pk), changes)
    return rows


def round_counts(
    municipality_id: int,
    censuses: Sequence[datetime.date],
    unit_types: Sequence[str],
    unit_ids: Sequence[int],
) -> dict[datetime.date, list[CountRow]]:
    """The counts of each census date's round in the units ``unit_ids``: the kept
    rounds read in two statements; a round not kept yet is counted (and kept when its
    census date is past)."""
    key = types_key(unit_types)
    today = timezone.localdate()
    rounds = {
        found.pk: found.census
        for found in OctoberRound.objects.filter(
            municipality_id=municipality_id, census__in=list(censuses), unit_types=key
        )
    }
    counts: dict[datetime.date, list[CountRow]] = defaultdict(list)
    if rounds:
        kept = OctoberCount.objects.filter(round_id__in=list(rounds), unit_id__in=list(unit_ids))
        for round_id, *values in kept.values_list("round_id", *FIELDS):
            counts[rounds[round_id]].append(CountRow(*values))
    wanted = set(unit_ids)
    for census in set(censuses) - set(rounds.values()):
        if census < today:
            rows = _keep(municipality_id, census, key)
        else:
            rows = count_round(municipality_id, census, key.split(","))
        counts[census] = [row for row in rows if row.unit in wanted]
    return counts


def default_censuses(today: datetime.date) -> list[datetime.date]:
    census = last_october(today)
    return [census, _years_before(census, 2)]


def recount_rounds(*, actor: User | None = None, municipality: Municipality | None = None) -> int:
    """Count every kept round of a 31 October again from the cases and rewrite it, drop
    the rounds of other days, and keep the default rounds; one transaction and one
    audit row per municipality. Returns the rounds counted."""
    today = timezone.localdate()
    municipalities = [municipality] if municipality else list(Municipality.objects.all())
    default = types_key(DEFAULT_UNIT_TYPES)
    recounted = 0
    for m in municipalities:
        with transaction.atomic():
            kept = OctoberRound.objects.filter(municipality=m)
            kept.exclude(census__month=10, census__day=31).delete()
            rounds = list(kept.filter(census__month=10, census__day=31))
            have = {(r.census, r.unit_types) for r in rounds}
            rounds += [
                OctoberRound.objects.create(municipality=m, census=census, unit_types=default)
                for census in default_censuses(today)
                if (census, default) not in have and census < today
            ]
            OctoberCount.objects.filter(municipality=m).delete()
            now = timezone.now()
            for round_ in rounds:
                _write(round_, count_round(m.pk, round_.census, round_.unit_types.split(",")))
                round_.computed_at = now
            OctoberRound.objects.bulk_update(rounds, ["computed_at"])
            censuses = sorted({r.census.isoformat() for r in rounds})
            _audit(actor, m.pk, "*", {"recounted": len(rounds), "censuses": censuses})
        recounted += len(rounds)
    return recounted
