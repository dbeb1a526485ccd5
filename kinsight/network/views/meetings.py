"""The network meetings: the year's calendar (the network leader plans), a meeting with
its invited members and attendance, shared files, minutes and questions between
members, and a file's download. Readers: the region's staff and the heads of services
and unit managers of current members; everyone else 404."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.network import files, queries, services
from kinsight.network.forms import (
    AnswerForm,
    AttendanceForm,
    FileForm,
    MeetingForm,
    MinutesForm,
    QuestionForm,
)
from kinsight.network.models import Meeting, Question
from kinsight.network.views import list_form, list_page, posted, user_of
from kinsight.ui.forms_flow import call_with, form_page
from kinsight.ui.routes import route


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("ar", ""))
    except ValueError:
        return timezone.localdate().year


@route("natverk/moten/", name="meetings")
def meeting_list(request: HttpRequest) -> HttpResponse:
    user, form = list_form(request, MeetingForm)
    year = _year(request)
    context = {
        "title": _("Nätverksmöten %(year)s") % {"year": year},
        "meetings": list(queries.meetings(user, year)),
        "year": year,
        "nav": "network_meetings",
    }
    call = call_with(services.meeting_plan, *MeetingForm.Meta.fields, actor=user)
    done = _("Mötet är inlagt i kalendern.")
    return list_page(
        request, form, call, done=done, template="network/meetings.html", context=context
    )


def _page(request: HttpRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    user = user_of(request)
    leader = queries.is_leader(user, meeting.region_id)
    invited = [a.municipality_id for a in meeting.invited]  # type: ignore[attr-defined]
    head = queries.is_member_head(user)
    context: dict[str, Any] = {
        "title": str(meeting),
        "meeting": meeting,
        "leader": leader,
        "nav": "network_meetings",
        "attendance_form": AttendanceForm(invited=invited) if leader else None,
        "file_form": FileForm() if leader else None,
        "question_form": QuestionForm() if head else None,
        "may_answer": leader or head,
        "own_municipality": user.municipality_id,
    }
    return context | forms


@route("natverk/moten/<int:pk>/", name="meeting")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting(user_of(request), pk)
    return render(request, "network/meeting.html", _page(request, meeting))


def _leader_meeting(request: HttpRequest, pk: int) -> Meeting:
    """The meeting for a leader's change: 404 unseen, 403 seen by a member."""
    meeting = queries.meeting(user_of(request), pk)
    if not queries.is_leader(user_of(request), meeting.region_id):
        raise PermissionDenied
    return meeting


def _leader_form(
    request: HttpRequest, pk: int, form_class: Any, service: Any, *, title: str, done: str
) -> HttpResponse:
    """A leader's own page of a form about a meeting (its change, its minutes): the
    form's fields go to ``service``; saved, back to the meeting. One flow for both."""
    meeting = _leader_meeting(request, pk)
    form = form_class(request.POST or None, instance=meeting)
    fields = form_class.Meta.fields
    call = call_with(service, *fields, actor=user_of(request), meeting=meeting)
    back = reverse("network:meeting", args=[pk])
    context = {"title": title, "cancel_url": back, "nav": "network_meetings"}
    page = {"template": "ui/form_page.html", "context": context}
    return form_page(request, form, call, done=done, back_to=back, **page)


@route("natverk/moten/<int:pk>/andra/", name="meeting_change")
def meeting_change(request: HttpRequest, pk: int) -> HttpResponse:
    title, done = _("Ändra mötet"), _("Mötet är ändrat.")
    return _leader_form(request, pk, MeetingForm, services.meeting_change, title=title, done=done)


@route("natverk/moten/<int:pk>/anteckningar/", name="minutes")
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    title, done = _("Minnesanteckningar"), _("Minnesanteckningarna är sparade.")
    return _leader_form(request, pk, MinutesForm, services.minutes_write, title=title, done=done)


@route("natverk/moten/<int:pk>/narvaro/", name="attendance")
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _leader_meeting(request, pk)
    invited = [a.municipality_id for a in meeting.invited]  # type: ignore[attr-defined]
    form = AttendanceForm(request.POST, invited=invited)
    call = call_with(
        services.attendance_record,
        "municipality",
        "attendees",
        actor=user_of(request),
        meeting=meeting,
    )
    return posted(request, meeting, "attendance_form", form, call, page=_page)


@route("natverk/moten/<int:pk>/filer/", name="file_add")
@require_POST
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _leader_meeting(request, pk)
    form = FileForm(request.POST, request.FILES)
    call = call_with(services.file_add, "file", actor=user_of(request), meeting=meeting)
    return posted(request, meeting, "file_form", form, call, page=_page)


@route("natverk/filer/<int:pk>/", name="file")
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    shared = queries.shared_file(user, pk)
    services.file_download(actor=user, shared=shared)
    return files.download(shared)


@route("natverk/moten/<int:pk>/fragor/", name="question_ask")
@require_POST
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting(user_of(request), pk)
    form = QuestionForm(request.POST)
    call = call_with(services.question_ask, "text", actor=user_of(request), meeting=meeting)
    return posted(request, meeting, "question_form", form, call, page=_page)


@route("natverk/fragor/<int:pk>/svar/", name="question_answer")
@require_POST
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    question = queries.region_part(user, Question, pk, "meeting")
    meeting = queries.meeting(user, question.meeting_id)
    form = AnswerForm(request.POST)
    call = call_with(services.question_answer, "answer", actor=user, question=question)
    return posted(request, meeting, "answer_form", form, call, page=_page, answering=pk)
