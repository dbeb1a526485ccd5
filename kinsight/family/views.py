"""Family work pages: list, start from a case, the family work page (what the
consent rules allow), participants, members, linked cases, consents, meetings with
signed minutes, and follow-up tasks."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.cases import queries as case_queries
from kinsight.core.forms import VersionForm
from kinsight.core.versioning import StaleEdit
from kinsight.family import forms, queries, services
from kinsight.family.models import FamilyMember, Participant
from kinsight.ui.forms_flow import run_service

NAV = "family"


def _form_page(request, form, *, title, back, intro="", status=200):
    context = {"form": form, "title": title, "back": back, "intro": intro, "nav": NAV}
    return render(request, "family/form.html", context, status=status)


def _flash_errors(request, error):
    messages.error(request, " ".join(error.messages))


def family_list(request):
    include_closed = request.GET.get("avslutade") == "1"
    works = list(queries.family_works(actor=request.user, include_closed=include_closed))
    queries.audit_list(actor=request.user, objects=works)
    context = {"works": works, "include_closed": include_closed, "nav": NAV}
    return render(request, "family/family_list.html", context)


def family_start(request, case_pk):
    case = case_queries.case_get(actor=request.user, pk=case_pk, action="change", audit=False)
    candidates = queries.member_candidates(actor=request.user, case=case)
    form = forms.StartForm(
        request.POST or None,
        candidates=candidates,
        # The title is seen by every participating unit, also without consent: the
        # default names the unit, never the family.
        initial={"title": _("Familjeärende – %(unit)s") % {"unit": case.unit.name}},
    )
    if request.method == "POST" and form.is_valid():
        work = run_service(
            request,
            form,
            lambda: services.family_work_start(
                actor=request.user,
                case=case,
                title=form.cleaned_data["title"],
                members=form.members(),
                started_on=form.cleaned_data["started_on"],
            ),
        )
        if work:
            messages.success(request, _("Familjeärendet är startat. Du är samordnare."))
            return redirect("family:detail", pk=work.pk)
    return _form_page(
        request,
        form,
        title=_("Starta familjeärende från %(case)s") % {"case": case.subject},
        back=case.get_absolute_url(),
        intro=_(
            "Välj vilka som ingår i familjen och deras roll. Förälder 1 och förälder 2 styr "
            "vilka perspektiv bedömningen får (parrelationen bara med två föräldrar)."
        ),
    )


def family_detail(request, pk):
    work = queries.family_work_get(actor=request.user, pk=pk)
    overview = queries.family_work_overview(actor=request.user, family_work=work)
    can_change = queries.can_change(actor=request.user, family_work=work) and not work.is_closed
    context = {
        "work": work,
        "can_change": can_change,
        "can_act": overview["participates"] and not work.is_closed,
        "linkable": queries.linkable_cases(actor=request.user, family_work=work).exists()
        if overview["participates"] and not work.is_closed
        else False,
        "nav": NAV,
        **overview,
    }
    return render(request, "family/family_detail.html", context)


@require_POST
def family_close(request, pk):
    work = queries.family_work_get(actor=request.user, pk=pk, action="change", audit=False)
    form = VersionForm(request.POST)
    form.is_valid()  # a missing version is refused here (400)
    try:
        services.family_work_close(
            actor=request.user, family_work=work, expected_version=form.cleaned_data["version"]
        )
        messages.success(request, _("Familjeärendet är avslutat."))
    except ValidationError as error:
        _flash_errors(request, error)
    except StaleEdit as error:
        messages.error(request, str(error))
    return redirect("family:detail", pk=work.pk)


# Participants, members, linked cases -----------------------------------------------------


def participant_add(request, pk):
    work = queries.family_work_get(actor=request.user, pk=pk, action="change", audit=False)
    form = forms.ParticipantForm(request.POST or None, family_work=work, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            form,
            lambda: services.participant_add(
                actor=request.user,
                family_work=work,
                unit=form.cleaned_data["unit"],
                worker=form.cleaned_data["worker"],
            ),
        )
        if saved:
            messages.success(request, _("%(unit)s deltar nu.") % {"unit": saved.unit})
            return redirect("family:detail", pk=work.pk)
    return _form_page(
        request, form, title=_("Lägg till deltagande enhet"), back=work.get_absolute_url()
    )


def _participant(request, participant_pk):
    participant = get_object_or_404(
        Participant.objects.visible_to(request.user, "view").select_related("family_work"),
        pk=participant_pk,
    )
    return participant


@require_POST
def participant_leave(request, participant_pk):
    participant = _participant(request, participant_pk)
    try:
        services.participant_leave(actor=request.user, participant=participant)
        messages.success(request, _("%(unit)s deltar inte längre.") % {"unit": participant.unit})
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect("family:detail", pk=participant.family_work_id)


@require_POST
def coordinator_set(request, participant_pk):
    participant = _participant(request, participant_pk)
    try:
        services.coordinator_set(actor=request.user, participant=participant)
        messages.success(request, _("%(unit)s samordnar nu.") % {"unit": participant.unit})
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect("family:detail", pk=participant.family_work_id)


def member_add(request, pk):
    work = queries.family_work_get(actor=request.user, pk=pk, action="change", audit=False)
    persons = queries.addable_persons(actor=request.user, family_work=work)
    form = forms.MemberForm(request.POST or None, persons=persons)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            form,
            lambda: services.member_add(
                actor=request.user,
                family_work=work,
                person=form.cleaned_data["person"],
                role=form.cleaned_data["role"],
            ),
        )
        if saved:
            messages.success(request, _("%(name)s ingår i familjen.") % {"name": saved.person})
            return redirect("family:detail", pk=work.pk)
    return _form_page(
        request,
        form,
        title=_("Lägg till familjemedlem"),
        back=work.get_absolute_url(),
        intro=_("Personer som är relaterade till någon i familjen."),
    )


@require_POST
def member_end(request, member_pk):
    member = get_object_or_404(
        FamilyMember.objects.visible_to(request.user, "change").select_related("family_work"),
        pk=member_pk,
    )
    try:
        services.member_end(actor=request.user, member=member)
        messages.success(request, _("%(name)s ingår inte längre.") % {"name": member.person})
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect("family:detail", pk=member.family_work_id)


def case_link(request, pk):
    work = queries.family_work_get(actor=request.user, pk=pk, audit=False)
    cases = queries.linkable_cases(actor=request.user, family_work=work)
    if not cases.exists():
        raise Http404
    form = forms.LinkCaseForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            form,
            lambda: services.case_link(
                actor=request.user, family_work=work, case=form.cleaned_data["case"]
            ),
        )
        if saved:
            messages.success(request, _("Ärendet är kopplat."))
            return redirect("family:detail", pk=work.pk)
    return _form_page(
        request, form, title=_("Koppla din enhets ärende"), back=work.get_absolute_url()
    )


# Consent -------------------------------------------------------------------------------


def consent_new(request, pk):
    work = queries.family_work_get(actor=request.user, pk=pk, audit=False)
    form = forms.ConsentRecordForm(request.POST or None, family_work=work, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.consent_record(
                actor=request.user,
                family_work=work,
                person=data["person"],
                purpose=data["purpose"],
                form=data["form"],
                given_on=data["given_on"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                all_units=data["all_units"],
                units=data["units"],
                given_by=data["given_by"],
                child_view=data["child_view"],
                child_view_text=data["child_view_text"],
                note=data["note"],
            ),
        )
        if saved:
            messages.success(request, _("Samtycket är registrerat."))
            return redirect("family:detail", pk=work.pk)
    return _form_page(
        request,
        form,
        title=_("Registrera samtycke"),
        back=work.get_absolute_url(),
        intro=_(
            "Samtycket avgör vad de andra enheterna får se om personen. Utan samtycke ser "
            "de bara att familjeärendet finns och vem som samordnar."
        ),
        status=400 if form.is_bound and form.errors else 200,
    )


def consent_withdraw(request, consent_pk):
    consent = queries.consent_get(actor=request.user, pk=consent_pk, action="change", audit=False)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            form,
            lambda: services.consent_withdraw(
                actor=request.user,
                consent=consent,
                reason=form.cleaned_data["reason"],
                withdrawn_on=form.cleaned_data["withdrawn_on"],
            ),
        )
        if saved:
            messages.success(request, _("Samtycket är återkallat. Delningen upphörde med en gång."))
            return redirect("family:detail", pk=consent.family_work_id)
    return _form_page(
        request,
        form,
        title=_("Återkalla samtycke: %(consent)s") % {"consent": consent},
        back=consent.family_work.get_absolute_url(),
    )


# Meetings --------------------------------------------------------------------------------


def meeting_new(request, pk):
    work = queries.family_work_get(actor=request.user, pk=pk, audit=False)
    form = forms.MeetingForm(request.POST or None, family_work=work, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = run_service(
            request,
            form,
            lambda: services.meeting_create(
                actor=request.user,
                family_work=work,
                held_on=data["held_on"],
                place=data["place"],
                agenda=data["agenda"],
                members=data["members"],
                staff=data["staff"],
                externals=form.external_lines(),
            ),
        )
        if meeting:
            messages.success(request, _("Mötet är registrerat."))
            return redirect("family:meeting_detail", pk=meeting.pk)
    return _form_page(request, form, title=_("Nytt familjemöte"), back=work.get_absolute_url())


def meeting_detail(request, pk):
    meeting = queries.meeting_get(actor=request.user, pk=pk)
    context = {
        "meeting": meeting,
        "work": meeting.family_work,
        "nav": NAV,
        **queries.meeting_detail(actor=request.user, meeting=meeting),
    }
    return render(request, "family/meeting_detail.html", context)


@require_POST
def minutes_new(request, pk):
    meeting = queries.meeting_get(actor=request.user, pk=pk, action="change", audit=False)
    note = services.minutes_create(actor=request.user, meeting=meeting)
    return redirect("family:minutes_edit", pk=note.pk)


@require_POST
def minutes_correct(request, pk):
    original = queries.note_get(actor=request.user, pk=pk, audit=False)
    meeting = queries.meeting_get(
        actor=request.user, pk=original.meeting_id, action="change", audit=False
    )
    try:
        note = services.minutes_create(actor=request.user, meeting=meeting, corrects=original)
    except ValidationError as error:
        _flash_errors(request, error)
        return redirect("family:meeting_detail", pk=meeting.pk)
    return redirect("family:minutes_edit", pk=note.pk)


def minutes_edit(request, pk):
    note = queries.note_get(actor=request.user, pk=pk)
    if note.author_id != request.user.pk:
        raise PermissionDenied
    form = forms.MinutesForm(
        request.POST or None, initial={"text": note.text, "version": note.version}
    )
    if request.method == "POST" and form.is_valid():
        text, version = form.cleaned_data["text"], form.cleaned_data["version"]
        if request.POST.get("action") == "sign":
            call = lambda: services.minutes_sign(  # noqa: E731
                actor=request.user, note=note, text=text, expected_version=version
            )
        else:
            call = lambda: services.minutes_save(  # noqa: E731
                actor=request.user, note=note, text=text, expected_version=version
            )
        saved = run_service(request, form, call)
        if saved:
            if saved.is_signed:
                messages.success(request, _("Protokollet är signerat och låst."))
            else:
                messages.success(request, _("Utkastet är sparat."))
            return redirect("family:meeting_detail", pk=note.meeting_id)
    context = {"note": note, "meeting": note.meeting, "form": form, "nav": NAV}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "family/minutes_edit.html", context, status=status)


# Follow-up tasks -------------------------------------------------------------------------


def task_new(request, pk):
    work = queries.family_work_get(actor=request.user, pk=pk, audit=False)
    meeting = None
    if request.GET.get("mote"):
        if not request.GET["mote"].isdigit():
            raise Http404
        meeting = queries.meeting_get(actor=request.user, pk=request.GET["mote"], audit=False)
        if meeting.family_work_id != work.pk:
            raise Http404
    form = forms.TaskForm(request.POST or None, family_work=work)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.task_create(
                actor=request.user,
                family_work=work,
                meeting=meeting,
                title=data["title"],
                decision=data["decision"],
                due_on=data["due_on"],
                responsible_unit=data["responsible_unit"],
                responsible=data["responsible"],
            ),
        )
        if saved:
            messages.success(request, _("Uppgiften är registrerad."))
            if meeting:
                return redirect("family:meeting_detail", pk=meeting.pk)
            return redirect("family:detail", pk=work.pk)
    back = (
        reverse("family:meeting_detail", args=[meeting.pk])
        if meeting is not None
        else work.get_absolute_url()
    )
    return _form_page(request, form, title=_("Ny uppföljningsuppgift"), back=back)


def task_done(request, pk):
    task = queries.task_get(actor=request.user, pk=pk, action="change", audit=False)
    form = forms.TaskDoneForm(request.POST or None, initial={"version": task.version})
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            form,
            lambda: services.task_complete(
                actor=request.user,
                task=task,
                expected_version=form.cleaned_data["version"],
                outcome=form.cleaned_data["outcome"],
            ),
        )
        if saved:
            messages.success(request, _("Uppgiften är klar."))
            return redirect("family:detail", pk=task.family_work_id)
    return _form_page(
        request,
        form,
        title=_("Markera klar: %(task)s") % {"task": task.title},
        back=task.family_work.get_absolute_url(),
    )
