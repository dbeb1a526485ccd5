"""The group leader's day: the start page, a cycle's page with its sessions,
attendance and participants, planning a new cycle, and a participant's steps (start,
finish, drop)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinsight.access.lists import visible_list
from kinsight.audit.services import audit_read_on_get
from kinsight.core.models import Role
from kinsight.core.validation import today
from kinsight.groups import queries, queries_notes, services
from kinsight.groups.access import leads_groups
from kinsight.groups.forms import (
    AttendanceForm,
    CycleEditForm,
    CycleForm,
    ParticipantDropForm,
    ParticipantForm,
    ParticipantStepForm,
    SessionForm,
)
from kinsight.groups.forms_referrals import referral_context
from kinsight.groups.models import Attendance, GroupParticipant, ParticipantStatus
from kinsight.groups.queries_applications import applications_new, applications_new_count
from kinsight.groups.queries_referrals import open_referral_count
from kinsight.groups.rules import consent_missing, own_consent_age
from kinsight.groups.services.cycles import CHANGEABLE, CYCLE_FIELDS
from kinsight.ui.forms_flow import call_with, form_page, post_on_detail
from kinsight.ui.routes import route

NAV = "groups"


def _cycle_url(cycle_id):
    return reverse("groups:cycle_detail", args=[cycle_id])


@route("stodgrupper/", name="start")
def start(request):
    """What a leader does today, and the cycles; heads of services and administrators
    see every cycle (no participant) and the way to the catalogue and the reports."""
    user = request.user
    leads = leads_groups(user)
    if not (leads or user.units_with_role(Role.GROUP_LEADER)):
        raise Http404
    day = today()
    return render(
        request,
        "groups/start.html",
        {
            "title": _("Stödgrupper"),
            "nav": NAV,
            "leads": leads,
            "today": day,
            "plan": queries.leader_day(actor=user, day=day),
            "applications_new": applications_new_count(actor=user),
            "referral_count": open_referral_count(actor=user, day=day),
        },
    )


@route("stodgrupper/omgangar/ny/", name="cycle_new")
def cycle_new(request):
    if not leads_groups(request.user):
        raise Http404
    fields = (*CYCLE_FIELDS, "leaders")
    return form_page(
        request,
        CycleForm(request.POST or None, user=request.user),
        call_with(services.cycle_create, *fields, actor=request.user),
        done=_("Gruppomgången är planerad."),
        back_to=lambda cycle: _cycle_url(cycle.pk),
        template="ui/form_page.html",
        context={
            "title": _("Ny gruppomgång"),
            "nav": NAV,
            "cancel_url": reverse("groups:start"),
            "submit": _("Planera"),
        },
    )


@route("stodgrupper/omgangar/<int:pk>/andra/", name="cycle_edit")
def cycle_edit(request, pk):
    """Name, venue, places, dates, leaders and the open list: the cycle's leaders and
    those who plan cycles (404 for anyone who does not see the cycle)."""
    cycle = queries.cycle_get(actor=request.user, pk=pk)
    if not cycle.may_change:
        raise PermissionDenied
    fields = ("version", *CHANGEABLE, "leaders")
    return form_page(
        request,
        CycleEditForm(request.POST or None, user=request.user, cycle=cycle),
        call_with(services.cycle_update, *fields, actor=request.user, cycle=cycle),
        done=_("Gruppomgången är ändrad."),
        back_to=_cycle_url(cycle.pk),
        template="ui/form_page.html",
        context={
            "title": _("Ändra %(name)s") % {"name": cycle.name},
            "nav": NAV,
            "cancel_url": _cycle_url(cycle.pk),
        },
    )


def _attending(participants, recorded, session):
    """Who the session's attendance is about: those in the group on its day, and
    anyone whose attendance at it is already recorded (``recorded``: their ids)."""
    return [
        p
        for p in participants
        if p.pk in recorded
        or (
            p.status != ParticipantStatus.WAITING
            and p.joined_on is not None
            and p.joined_on <= session.held_on
            and (p.ended_on is None or p.ended_on >= session.held_on)
        )
    ]


def _plan(overview, participant):
    """The programme's measurements for a participant with the consents their age
    requires: each with the measurement made, or None."""
    if participant.consent_missing:
        return []
    made = {(m.instrument_id, m.point): m for m in participant.measurements.all()}
    return [
        (measure, made.get((measure.instrument_id, measure.point))) for measure in overview.measures
    ]


def _cycle_context(request, cycle, *, failed_session=None, **forms):
    """The cycle's page; ``forms`` replace the page's empty forms by ones that were
    refused (``session_form``, ``participant_form``; an attendance form with
    ``failed_session``)."""
    overview = queries.cycle_overview(actor=request.user, cycle=cycle)
    is_leader = any(leader.pk == request.user.pk for leader in cycle.leaders.all())
    day = today()
    for session in overview.sessions:
        session.is_past = session.held_on <= day
        session.form = None
        if failed_session is not None and failed_session.pk == session.pk:
            session.form = forms.pop("attendance_form")
        elif is_leader and session.is_past:
            recorded = {pk for (at, pk) in overview.attendance if at == session.pk}
            attending = _attending(overview.participants, recorded, session)
            if attending:
                initial = {
                    f"p{p.pk}": overview.attendance[(session.pk, p.pk)]
                    for p in attending
                    if (session.pk, p.pk) in overview.attendance
                }
                session.form = AttendanceForm(
                    prefix=f"s{session.pk}", participants=attending, initial=initial
                )
        session.recorded = any(key[0] == session.pk for key in overview.attendance)
    from_age = own_consent_age(cycle.municipality_id) if overview.participants else 0
    for participant in overview.participants:
        participant.consent_missing = consent_missing(participant, from_age=from_age, day=day)
        participant.plan = _plan(overview, participant)
    return {
        "title": cycle.name,
        "nav": NAV,
        "cycle": cycle,
        "is_leader": is_leader,
        "sessions": overview.sessions,
        "participants": overview.participants,
        "plan_instruments": list(
            {m.instrument_id: m.instrument for m in overview.measures}.values()
        ),
        "session_form": SessionForm() if is_leader else None,
        "session_new_url": reverse("groups:session_new", args=[cycle.pk]),
        "participant_new_url": reverse("groups:participant_new", args=[cycle.pk]),
        "participant_form": ParticipantForm(user=request.user) if is_leader else None,
        "notes": queries_notes.cycle_notes(actor=request.user, cycle=cycle) if is_leader else [],
        "applications": applications_new(actor=request.user, cycle=cycle) if is_leader else [],
        **referral_context(request, cycle, is_leader),
        **forms,
    }


@route("stodgrupper/omgangar/<int:pk>/", name="cycle_detail")
def cycle_detail(request, pk):
    cycle = queries.cycle_get(actor=request.user, pk=pk)
    return render(request, "groups/cycle_detail.html", _cycle_context(request, cycle))


def _post_on_cycle(request, cycle, form, call, *, done, page_extra):
    return post_on_detail(
        request,
        form,
        call,
        done=done,
        back_to=_cycle_url(cycle.pk),
        template="groups/cycle_detail.html",
        context=lambda form: _cycle_context(request, cycle, **page_extra(form)),
    )


def _led_cycle(request, pk):
    """A cycle for a write about its participants: 404 unseen, 403 unless a leader of
    it (a head of services sees the cycle, not its participants)."""
    cycle = queries.cycle_get(actor=request.user, pk=pk)
    if not any(leader.pk == request.user.pk for leader in cycle.leaders.all()):
        raise PermissionDenied
    return cycle


@route("stodgrupper/omgangar/<int:pk>/traffar/", name="session_new")
@require_POST
def session_new(request, pk):
    cycle = _led_cycle(request, pk)
    return _post_on_cycle(
        request,
        cycle,
        SessionForm(request.POST),
        call_with(services.session_add, "held_on", "theme", actor=request.user, cycle=cycle),
        done=_("Träffen är tillagd."),
        page_extra=lambda form: {"session_form": form},
    )


@route("stodgrupper/traffar/<int:pk>/narvaro/", name="attendance")
@require_POST
def attendance(request, pk):
    session = queries.session_for_change(actor=request.user, pk=pk)
    cycle = _led_cycle(request, session.cycle_id)
    participants = visible_list(request.user, GroupParticipant, cycle=cycle)
    recorded = {a.participant_id for a in visible_list(request.user, Attendance, session=session)}
    form = AttendanceForm(
        request.POST,
        prefix=f"s{session.pk}",
        participants=_attending(participants, recorded, session),
    )
    return _post_on_cycle(
        request,
        cycle,
        form,
        call_with(services.attendance_record, "presence", actor=request.user, session=session),
        done=_("Närvaron är registrerad."),
        page_extra=lambda form: {"attendance_form": form, "failed_session": session},
    )


@route("stodgrupper/omgangar/<int:pk>/deltagare/", name="participant_new")
@require_POST
def participant_new(request, pk):
    cycle = _led_cycle(request, pk)
    fields = ("age_band", "sex", "district", "intake", "measurement_consent", "own_consent")
    return _post_on_cycle(
        request,
        cycle,
        ParticipantForm(request.POST, user=request.user),
        call_with(services.participant_add, *fields, actor=request.user, cycle=cycle),
        done=_("Deltagaren står på väntelistan."),
        page_extra=lambda form: {"participant_form": form},
    )


STEPS = {
    "start": (
        services.participant_start,
        ParticipantStepForm,
        ("version", "on"),
        gettext_lazy("Börjar i gruppen"),
        gettext_lazy("Deltagaren är med i gruppen."),
    ),
    "finish": (
        services.participant_finish,
        ParticipantStepForm,
        ("version", "on"),
        gettext_lazy("Har fullföljt"),
        gettext_lazy("Deltagaren har fullföljt."),
    ),
    "talk": (
        services.individual_talk_add,
        ParticipantStepForm,
        ("on",),
        gettext_lazy("Enskilt samtal"),
        gettext_lazy("Samtalet är registrerat."),
    ),
    "drop": (
        services.participant_drop,
        ParticipantDropForm,
        ("version", "on", "reason"),
        gettext_lazy("Har avbrutit"),
        gettext_lazy("Avbrottet är registrerat."),
    ),
}


@route("stodgrupper/deltagare/<int:pk>/borjar/", name="participant_start", step="start")
@route("stodgrupper/deltagare/<int:pk>/fullfoljt/", name="participant_finish", step="finish")
@route("stodgrupper/deltagare/<int:pk>/avbrutit/", name="participant_drop", step="drop")
@route("stodgrupper/deltagare/<int:pk>/samtal/", name="participant_talk", step="talk")
def participant_step(request, pk, step):
    participant = queries.participant_for_change(actor=request.user, pk=pk)
    audit_read_on_get(request, participant)
    service, form_class, fields, title, done = STEPS[step]
    form = form_class(request.POST or None, initial={"version": participant.version})
    return form_page(
        request,
        form,
        call_with(service, *fields, actor=request.user, participant=participant),
        done=str(done),
        back_to=_cycle_url(participant.cycle_id),
        template="ui/form_page.html",
        context={
            "title": f"{participant}: {title}",
            "nav": NAV,
            "intro": participant.cycle.name,
            "cancel_url": _cycle_url(participant.cycle_id),
        },
    )
