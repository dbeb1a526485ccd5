"""The demo's regional network: a kommunalförbund with the demo municipalities and a
third member that has no personal data in the demo at all, only figures it published;
the network leader as the region's own staff (no municipality); and published periods
(last year, the closed quarters since), one of them withdrawn, one quarter missing.

The members with data publish through the service (their head of services, small
counts hidden). The third member's figures are invented: the first member's tables
with every count scaled, then hidden the same way."""

import datetime
import random
from dataclasses import replace

from django.contrib.auth.hashers import make_password
from django.db import transaction

from kinsight.core.models import Municipality, User
from kinsight.core.services import municipality_create
from kinsight.demo.generate.bulk import audit_run
from kinsight.demo.generate.organisation import DEMO_PASSWORD
from kinsight.followup.figures import Scope
from kinsight.followup.queries import scope_units
from kinsight.followup.tables import Row, Table
from kinsight.regions import services, snapshots
from kinsight.regions.models import Member, PublishedFigure, Region, RegionStaff
from kinsight.regions.queries import last_closed

REGION = ("Sydöstra kommunalförbundet", "sydost")
THIRD = ("Sjöviks kommun", "9997")


def _periods(today: datetime.date) -> list[tuple[str, datetime.date]]:
    """Last year, and the last three closed quarters, oldest first."""
    found = [("year", datetime.date(today.year - 1, 1, 1))]
    quarter = last_closed("quarter", today).start
    quarters = []
    for _n in range(3):
        quarters.append(("quarter", quarter))
        quarter = last_closed("quarter", quarter).start
    return found + quarters[::-1]


def _scaled(table: Table, factor: float) -> Table:
    """The table with its counts scaled: parts summed again, the total the sum of the
    rows, shares from their two counts."""
    counts = [c for c in table.columns if c.is_count]

    def scale(row: Row) -> Row:
        values = dict(row.values)
        for column in counts:
            if not column.parts:
                values[column.key] = round(int(values.get(column.key) or 0) * factor)
        for column in counts:
            if column.parts:
                values[column.key] = sum(int(values.get(p) or 0) for p in column.parts)
        for column in table.columns:
            if column.kind == "share" and len(column.depends) == 2:
                part, whole = (values.get(key) or 0 for key in column.depends)
                values[column.key] = part / whole if whole else None
        return replace(row, values=values)

    rows = [scale(row) for row in table.rows]
    total = None
    if table.total is not None:
        sums = {c.key: sum(int(r.values.get(c.key) or 0) for r in rows) for c in counts}
        total = scale(replace(table.total, values={**table.total.values, **sums}))
    return replace(table, rows=rows, total=total)


def _invented(region: Region, third: Municipality, head: User, today: datetime.date) -> int:
    """The third member's figures: the first member's, scaled, then published."""
    rng = random.Random(7)
    publisher = User.objects.create(
        municipality=third,
        username=f"{third.code}-ifochef",
        first_name="Siv",
        last_name="Sjövik",
        title="IFO-chef",
        password=make_password(DEMO_PASSWORD),
    )
    scope = Scope(head.municipality_id or 0, tuple(scope_units(head)), "")
    made = 0
    for step, start in _periods(today):
        chosen = snapshots.period_of(step, start, today)
        for definition in snapshots.publishable():
            tables = definition.compute(scope, chosen.period, snapshots.breakdown_of(definition))
            factor = rng.uniform(0.4, 1.6)
            published = [_scaled(table, factor).published() for table in tables]
            PublishedFigure.objects.create(
                municipality=third,
                region=region,
                published_by=publisher,
                **snapshots.frozen(definition, chosen, published),
            )
            made += 1
    return made


@transaction.atomic
def generate_region(*, today: datetime.date | None = None) -> Region:
    """The region, its members (every demo municipality and the third), the network
    leader ``natverksledare`` and the published periods."""
    from django.utils import timezone

    today = today or timezone.localdate()
    region = Region.objects.create(name=REGION[0], code=REGION[1])
    joined = datetime.date(today.year - 3, 1, 1)
    demo = list(Municipality.objects.filter(is_demo=True).order_by("-code"))
    third = municipality_create(name=THIRD[0], code=THIRD[1], is_demo=True)
    for municipality in [*demo, third]:
        Member.objects.create(region=region, municipality=municipality, joined_on=joined)
    leader = User.objects.create(
        username="natverksledare",
        first_name="Nils",
        last_name="Nätverksledare",
        title="Nätverksledare",
        email="natverksledare@sydost.demo.invalid",
        password=make_password(DEMO_PASSWORD),
    )
    RegionStaff.objects.create(region=region, user=leader)
    heads = [User.objects.get(municipality=m, username__endswith="ifochef") for m in demo]
    periods = _periods(today)
    for index, head in enumerate(heads):
        # The second member has not published the last quarter yet.
        for step, start in periods if index == 0 else periods[:-1]:
            for definition in snapshots.publishable():
                services.figure_publish(
                    actor=head, region=region, definition=definition.key, step=step,
                    period_start=start,
                )  # fmt: skip
    if len(heads) > 1:
        wrong = PublishedFigure.objects.filter(municipality=heads[1].municipality).first()
        if wrong is not None:
            services.figure_withdraw(
                actor=heads[1], figure=wrong, reason="Fel enhet räknades med; publiceras om."
            )
    made = _invented(region, third, heads[0], today) if heads else 0
    audit_run(third, {"generated": {"region": region.name, "published": made}})
    return region
