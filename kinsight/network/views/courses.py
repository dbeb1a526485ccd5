"""The training offer and register: the courses (flagged below their minimum before the
decision date), a course with the enrolments (the leader: every member's; a member's
head of services: its own, enrolling its staff and recording attendance), and a staff
member's trainings (themselves, or their municipality's head of services)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.network import offer, queries
from kinsight.network.forms import AttendedForm, EnrolForm
from kinsight.network.models import Course, Enrolment
from kinsight.network.views import posted, user_of
from kinsight.ui.forms_flow import act_and_back, call_with
from kinsight.ui.routes import route


@route("natverk/kurser/", name="courses")
def course_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not queries.reader_regions(user):
        raise Http404
    context = {
        "title": _("Utbildningsutbud"),
        "courses": list(queries.course_rows(user)),
        "nav": "network_courses",
    }
    return render(request, "network/courses.html", context)


def _page(request: HttpRequest, found: Course, **forms: Any) -> dict[str, Any]:
    user = user_of(request)
    head = queries.is_member_head(user)
    started = found.starts_on <= timezone.localdate()
    context: dict[str, Any] = {
        "title": found.title,
        "course": found,
        "enrolments": queries.enrolments(user, found),
        "leader": queries.is_leader(user, found.region_id),
        "may_record": head and started,
        "nav": "network_courses",
    }
    if head and not started:
        context["enrol_form"] = EnrolForm(staff=queries.own_staff(user))
    return context | forms


@route("natverk/kurser/<int:pk>/", name="course")
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.course(user_of(request), pk)
    return render(request, "network/course.html", _page(request, found))


@route("natverk/kurser/<int:pk>/anmal/", name="enrol")
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = queries.course(user, pk)
    form = EnrolForm(request.POST, staff=queries.own_staff(user))
    call = call_with(offer.enrol, "participant", actor=user, course=found)
    done = _("Anmälan är sparad.")
    return posted(request, found, "enrol_form", form, call, page=_page, done=done)


@route("natverk/anmalningar/<int:pk>/narvaro/", name="attended")
@require_POST
def attended(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = queries.region_part(user, Enrolment, pk, "course")
    form = AttendedForm(request.POST)
    back = reverse("network:course", args=[found.course_id])
    value = form.cleaned_data["attended"] if form.is_valid() else None
    if value is None:
        return act_and_back(request, _refuse, done="", back=back)
    call = lambda: offer.attendance_mark(actor=user, enrolment=found, attended=value)  # noqa: E731
    return act_and_back(request, call, done=_("Närvaron är sparad."), back=back)


def _refuse() -> None:
    raise ValidationError(_("Ange om medarbetaren deltog."))


@route("natverk/utbildningar/<int:pk>/", name="trainings")
def trainings(request: HttpRequest, pk: int) -> HttpResponse:
    person, rows = queries.trainings(user_of(request), pk)
    name = person.get_full_name() or person.username
    context = {"title": _("Utbildningar: %(name)s") % {"name": name}, "enrolments": rows}
    return render(request, "network/trainings.html", context | {"nav": "network_courses"})
