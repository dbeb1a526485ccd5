"""The writes of the regional network, each taking the acting user and writing its audit
row in the same transaction: a member's head of services publishes a closed period's
figure to the region and withdraws it; the region's network leader records members
joining and leaving. The audit rows go to the municipality's chain (the one that
published, or whose membership changed): the region has no chain of its own."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.core.models import Municipality, OrgUnit, Role, User
from kinsight.core.services import create_audited
from kinsight.followup.figures import REGISTRY, Scope
from kinsight.followup.queries import scope_units
from kinsight.regions import snapshots
from kinsight.regions.models import Member, PublishedFigure, Region
from kinsight.regions.queries import member_regions, region_of

PUBLISHED_FIELDS = ["region_id", "definition", "definitions_version", "step", "period_start"]


def may_publish(actor: User) -> bool:
    """A head of services whose scope is the whole municipality (every unit in it)."""
    if not actor.municipality_id:
        return False
    heads = actor.units_with_role(Role.HEAD_OF_SERVICES)
    if not heads:
        return False
    units = OrgUnit.objects.filter(municipality_id=actor.municipality_id, kind="unit")
    return not units.exclude(pk__in=heads).exists()


def figure_publish(
    *, actor: User, region: Region, definition: str, step: str, period_start: datetime.date
) -> PublishedFigure:
    """Compute ``definition`` for the municipality over the closed period holding
    ``period_start``, hide the small counts and store the frozen copy in the region."""
    if not may_publish(actor):
        raise PermissionDenied
    if region not in member_regions(actor):
        raise ValidationError(
            {"region": _("Kommunen är inte medlem i %(region)s i dag.") % {"region": region}}
        )
    found = REGISTRY.get(definition)
    if found is None or found not in snapshots.publishable():
        raise ValidationError({"definition": _("Välj ett nyckeltal som kan publiceras.")})
    chosen = snapshots.period_of(step, period_start)
    scope = Scope(actor.municipality_id or 0, tuple(scope_units(actor)), "")
    tables = found.compute(scope, chosen.period, snapshots.breakdown_of(found))
    published = [table.published() for table in tables]
    with transaction.atomic():
        if (
            PublishedFigure.objects.current()
            .filter(
                municipality_id=actor.municipality_id,
                region=region,
                definition=found.key,
                step=step,
                period_start=chosen.start,
            )
            .exists()
        ):
            raise ValidationError(
                _(
                    "%(title)s för %(period)s är redan publicerat. Återkalla det först om "
                    "det ska publiceras igen."
                )
                % {"title": found.title, "period": chosen.label}
            )
        return create_audited(
            actor,
            PublishedFigure,
            PUBLISHED_FIELDS,
            region=region,
            published_by=actor,
            **snapshots.frozen(found, chosen, published),
        )


def figure_withdraw(*, actor: User, figure: PublishedFigure, reason: str) -> PublishedFigure:
    """Withdraw a published figure with a reason: kept, shown to the region as withdrawn,
    left out of its comparisons."""
    if not may_publish(actor) or figure.municipality_id != actor.municipality_id:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv varför siffrorna återkallas.")})
    now = timezone.now()
    with transaction.atomic():
        changed = PublishedFigure.objects.filter(pk=figure.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_by=actor, withdrawn_reason=reason.strip()
        )
        if not changed:
            raise ValidationError(_("Siffrorna är redan återkallade."))
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=figure,
            changes={"withdrawn_at": [None, now.isoformat()], "withdrawn_reason": [None, reason]},
        )
    figure.refresh_from_db()
    return figure


def _region_staff(actor: User) -> Region:
    region = region_of(actor)
    if region is None:
        raise PermissionDenied
    return region


def member_join(*, actor: User, municipality: Municipality, joined_on: datetime.date) -> Member:
    """A municipality joins the actor's region on ``joined_on``."""
    region = _region_staff(actor)
    with transaction.atomic():
        open_ = Member.objects.filter(region=region, municipality=municipality)
        if open_.filter(Q(left_on__isnull=True) | Q(left_on__gte=joined_on)).exists():
            raise ValidationError(
                {"municipality": _("%(name)s är redan medlem den dagen.") % {"name": municipality}}
            )
        member = Member.objects.create(
            region=region, municipality=municipality, joined_on=joined_on
        )
        changes = {"region": [None, region.pk], "joined_on": [None, joined_on.isoformat()]}
        audit_record(actor=actor, action=AuditAction.CREATE, obj=member, changes=changes)
    return member


def member_leave(*, actor: User, member: Member, left_on: datetime.date) -> Member:
    """The member leaves the region on ``left_on`` (its published figures stay, marked)."""
    if member.region_id != _region_staff(actor).pk:
        raise PermissionDenied
    if member.left_on is not None:
        raise ValidationError(_("Kommunen har redan lämnat regionen."))
    if left_on < member.joined_on:
        message = _("Slutdagen kan inte vara före %(day)s, då kommunen blev medlem.")
        raise ValidationError({"left_on": message % {"day": member.joined_on.isoformat()}})
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(left_on=left_on)
        changes = {"left_on": [None, left_on.isoformat()]}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=member, changes=changes)
    member.refresh_from_db()
    return member


def report_export(
    *, actor: User, region: Region, year: int, fmt: str, figures: list[PublishedFigure]
) -> None:
    """Record the region's report leaving as a file: one export row in each member's
    chain whose published figures it holds, naming them by id."""
    by_member: dict[int, list[int]] = {}
    for figure in figures:
        by_member.setdefault(figure.municipality_id, []).append(figure.pk)
    with transaction.atomic():
        for municipality_id, ids in sorted(by_member.items()):
            audit_record(
                actor=actor,
                action=AuditAction.EXPORT,
                municipality_id=municipality_id,
                object_type="regions.report",
                object_id=f"{region.code}-{year}",
                changes={"format": fmt, "region": region.pk, "figures": sorted(ids)},
            )
