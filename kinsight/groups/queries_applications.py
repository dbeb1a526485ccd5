"""Reads of the open group list: what the public page lists (no actor: only cycles and
programmes, never a participant or an applicant), and the applications a cycle's
leaders handle (theirs only, audited)."""

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from kinsight.access.lists import audited_list
from kinsight.access.rules import get_for
from kinsight.core.models import Municipality, User
from kinsight.core.validation import today
from kinsight.groups.models import TAKING_PLACE, ApplicationStatus, Cycle, GroupApplication
from kinsight.groups.queries_settings import group_settings


def open_cycles_in(municipality_id: int) -> QuerySet[Cycle]:
    """The cycles of active programmes in a municipality that have not ended, each
    with ``taken`` places (participants waiting or active: a count, no participant
    data): the one count of places taken, for the open list where there is no actor
    and for an actor's offers and intake (``services.open_cycles``)."""
    taken = Count("participants", filter=Q(participants__status__in=TAKING_PLACE))
    return (
        Cycle.objects.filter(municipality_id=municipality_id, programme__is_active=True)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=today()))
        .select_related("programme", "district")
        .annotate(taken=taken)
        .order_by("start_on", "name")
    )


def public_cycles(municipality_id: int) -> QuerySet[Cycle]:
    """The cycles the open list offers: public, of an active programme, not ended,
    with a free place (places minus participants waiting or active), soonest first."""
    free = Q(taken__lt=F("places"))  # the annotation, in a Q the stubs do not check
    return open_cycles_in(municipality_id).filter(free, is_public=True)


def public_municipality(code: str) -> Municipality:
    """The municipality with ``code`` whose open list is on; 404 otherwise (one that
    has not chosen the list shows nothing)."""
    municipality = get_object_or_404(Municipality, code=code)
    if not group_settings(municipality).public_list:
        raise Http404
    return municipality


def public_cycle(municipality_id: int, pk: int) -> Cycle:
    """One cycle of the open list for its application form; 404 when it is not (or no
    longer) offered, or full."""
    cycle: Cycle = get_object_or_404(public_cycles(municipality_id), pk=pk)
    return cycle


def applications_new(*, actor: User, cycle: Cycle) -> list[GroupApplication]:
    """The cycle's new applications for its leaders (nobody else sees one), audited as
    one list read."""
    return audited_list(actor, GroupApplication, cycle=cycle, status=ApplicationStatus.NEW)


def applications_new_count(*, actor: User) -> int:
    """How many new applications wait in the cycles the actor leads (a count only)."""
    rows = GroupApplication.objects.visible_to(actor, "view")
    return rows.filter(status=ApplicationStatus.NEW).count()


def application_for_change(*, actor: User, pk: int) -> GroupApplication:
    """An application a leader accepts or declines: 404 unless a leader of its cycle.
    Not audited (the service audits the write)."""
    return get_for(actor, GroupApplication.objects.select_related("cycle"), pk, "change")
