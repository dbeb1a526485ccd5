"""The support groups' panels on pages of the apps below: on a child's record (barn
som anhörig) and on a case, the group participations (programme, cycle, status and
dates; never attendance, measurements or other participants) for whoever may view the
page, and the way to offer a group for a worker who may change it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kinsight.groups import queries_participations as queries
from kinsight.ui.panels import Panel


def _panel(participations, url, intro, empty):
    if not participations and url is None:
        return None
    context = {"participations": participations, "url": url, "intro": intro, "empty": empty}
    return Panel("groups/_participations.html", context, order=50)


def child_groups_panel(request, record, *, can_change=False, **facts):
    """The record's participations; the link for a worker who may change a born
    child's record."""
    rows = queries.participations_of_record(actor=request.user, record_id=record.pk)
    offer = can_change and not record.is_expected
    return _panel(
        rows,
        reverse("groups:child_offer", args=[record.pk]) if offer else None,
        _("Erbjud barnet en plats i en stödgrupp: barnet hamnar på gruppomgångens väntelista."),
        _("Barnet har inte erbjudits någon stödgrupp."),
    )


def case_groups_panel(request, case, *, can_change=False, **facts):
    """The participations of the case's person; the link for a worker who may change
    the (open) case."""
    rows = queries.participations_of_person(
        actor=request.user, person_id=case.person_id, municipality_id=case.municipality_id
    )
    return _panel(
        rows,
        reverse("groups:case_offer", args=[case.pk]) if can_change else None,
        _("Erbjud %(name)s en plats i en stödgrupp, efter beslut eller egen ansökan.")
        % {"name": case.person},
        _("%(name)s har inte erbjudits någon stödgrupp.") % {"name": case.person},
    )
