"""The family work pages: the list, start from a case, the family work page (what the
consent rules allow), close; participants, members and linked cases."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.access.rules import get_for
from kinsight.cases import queries as case_queries
from kinsight.core.forms import VersionForm
from kinsight.family import forms, queries, services
from kinsight.family.models import FamilyMember, Participant
from kinsight.family.views.common import NAV, form_page
from kinsight.ui.forms_flow import act_and_back, call_with
from kinsight.ui.routes import route


def _to_work(saved):
    return reverse("family:detail", args=[saved.family_work_id])


@route("familjearenden/", name="list")
def family_list(request):
    include_closed = request.GET.get("avslutade") == "1"
    works = list(queries.family_works(actor=request.user, include_closed=include_closed))
    queries.audit_list(actor=request.user, objects=works)
    context = {
        "title": _("Familjeärenden"),
        "works": works,
        "include_closed": include_closed,
        "nav": NAV,
    }
    return render(request, "family/family_list.html", context)


@route("arenden/<int:case_pk>/familjearende/nytt/", name="start")
def family_start(request, case_pk):
    case = case_queries.case_for_write(actor=request.user, pk=case_pk)
    candidates = queries.member_candidates(actor=request.user, case=case)
    form = forms.StartForm(
        request.POST or None,
        candidates=candidates,
        # The title is seen by every participating unit, also without consent: the
        # default names the unit, never the family.
        initial={"title": _("Familjeärende – %(unit)s") % {"unit": case.unit.name}},
    )
    fields = ("title", "members", "started_on")
    return form_page(
        request,
        form,
        call_with(services.family_work_start, *fields, actor=request.user, case=case),
        done=_("Familjeärendet är startat. Du är samordnare."),
        then=lambda work: work.get_absolute_url(),
        title=_("Starta familjeärende från %(case)s") % {"case": case.subject},
        back=case.get_absolute_url(),
        intro=_(
            "Välj vilka som ingår i familjen och deras roll. Förälder 1 och förälder 2 styr "
            "vilka perspektiv bedömningen får (parrelationen bara med två föräldrar)."
        ),
    )


@route("familjearenden/<int:pk>/", name="detail")
def family_detail(request, pk):
    work = queries.family_work_get(actor=request.user, pk=pk)
    overview = queries.family_work_overview(actor=request.user, family_work=work)
    can_change = queries.can_change(actor=request.user, family_work=work) and not work.is_closed
    acts = overview["participates"] and not work.is_closed
    context = {
        "work": work,
        "can_change": can_change,
        "can_act": acts,
        "linkable": acts and queries.linkable_cases(actor=request.user, family_work=work).exists(),
        "nav": NAV,
        **overview,
    }
    return render(request, "family/family_detail.html", context)


@route("familjearenden/<int:pk>/avsluta/", name="close")
@require_POST
def family_close(request, pk):
    work = queries.family_work_for_write(actor=request.user, pk=pk)
    form = VersionForm(request.POST)
    form.is_valid()  # a missing version is refused here (400)
    return act_and_back(
        request,
        lambda: services.family_work_close(
            actor=request.user, family_work=work, expected_version=form.cleaned_data["version"]
        ),
        done=_("Familjeärendet är avslutat."),
        back=work.get_absolute_url(),
    )


@route("familjearenden/<int:pk>/enheter/ny/", name="participant_add")
def participant_add(request, pk):
    work = queries.family_work_for_write(actor=request.user, pk=pk)
    return form_page(
        request,
        forms.ParticipantForm(request.POST or None, family_work=work, user=request.user),
        call_with(services.participant_add, "unit", "worker", actor=request.user, family_work=work),
        done=lambda saved: _("%(unit)s deltar nu.") % {"unit": saved.unit},
        title=_("Lägg till deltagande enhet"),
        back=work.get_absolute_url(),
    )


def _participant_step(request, participant_pk, service, done):
    """Leave, or take over as coordinator: a button on the family work page."""
    participant = get_for(
        request.user, Participant.objects.select_related("family_work", "unit"), participant_pk
    )
    return act_and_back(
        request,
        lambda: service(actor=request.user, participant=participant),
        done=done % {"unit": participant.unit},
        back=_to_work(participant),
    )


@route("familjearenden/enheter/<int:participant_pk>/lamna/", name="participant_leave")
@require_POST
def participant_leave(request, participant_pk):
    return _participant_step(
        request, participant_pk, services.participant_leave, _("%(unit)s deltar inte längre.")
    )


@route("familjearenden/enheter/<int:participant_pk>/samordnare/", name="coordinator_set")
@require_POST
def coordinator_set(request, participant_pk):
    return _participant_step(
        request, participant_pk, services.coordinator_set, _("%(unit)s samordnar nu.")
    )


@route("familjearenden/<int:pk>/medlemmar/ny/", name="member_add")
def member_add(request, pk):
    work = queries.family_work_for_write(actor=request.user, pk=pk)
    persons = queries.addable_persons(actor=request.user, family_work=work)
    return form_page(
        request,
        forms.MemberForm(request.POST or None, persons=persons),
        call_with(services.member_add, "person", "role", actor=request.user, family_work=work),
        done=lambda saved: _("%(name)s ingår i familjen.") % {"name": saved.person},
        title=_("Lägg till familjemedlem"),
        back=work.get_absolute_url(),
        intro=_("Personer som är relaterade till någon i familjen."),
    )


@route("familjearenden/medlemmar/<int:member_pk>/avsluta/", name="member_end")
@require_POST
def member_end(request, member_pk):
    member = get_for(
        request.user,
        FamilyMember.objects.select_related("family_work", "person"),
        member_pk,
        "change",
    )
    return act_and_back(
        request,
        lambda: services.member_end(actor=request.user, member=member),
        done=_("%(name)s ingår inte längre.") % {"name": member.person},
        back=_to_work(member),
    )


@route("familjearenden/<int:pk>/arenden/koppla/", name="case_link")
def case_link(request, pk):
    work = queries.family_work_for_write(actor=request.user, pk=pk, action="view")
    cases = queries.linkable_cases(actor=request.user, family_work=work)
    if not cases.exists():
        raise Http404
    return form_page(
        request,
        forms.LinkCaseForm(request.POST or None, cases=cases),
        call_with(services.case_link, "case", actor=request.user, family_work=work),
        done=_("Ärendet är kopplat."),
        title=_("Koppla din enhets ärende"),
        back=work.get_absolute_url(),
    )
