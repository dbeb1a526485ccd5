"""Family meeting pages: a new meeting, the meeting page, and its minutes (a signed
note: the one note page of kinsight.ui.notes)."""

from functools import partial

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinsight.family import forms, queries, services
from kinsight.family.services.meetings import MINUTES
from kinsight.family.views.common import NAV, form_page
from kinsight.ui.forms_flow import call_with
from kinsight.ui.notes import NotePage
from kinsight.ui.routes import route


@route("familjearenden/<int:pk>/moten/nytt/", name="meeting_new")
def meeting_new(request, pk):
    work = queries.family_work_for_write(actor=request.user, pk=pk, action="view")
    form = forms.MeetingForm(request.POST or None, family_work=work, user=request.user)
    fields = ("held_on", "place", "agenda", "members", "staff", "externals")
    return form_page(
        request,
        form,
        call_with(services.meeting_create, *fields, actor=request.user, family_work=work),
        done=_("Mötet är registrerat."),
        then=lambda meeting: reverse("family:meeting_detail", args=[meeting.pk]),
        title=_("Nytt familjemöte"),
        back=work.get_absolute_url(),
    )


@route("familjearenden/moten/<int:pk>/", name="meeting_detail")
def meeting_detail(request, pk):
    meeting = queries.meeting_get(actor=request.user, pk=pk)
    context = {
        "meeting": meeting,
        "work": meeting.family_work,
        "nav": NAV,
        **queries.meeting_detail(actor=request.user, meeting=meeting),
    }
    return render(request, "family/meeting_detail.html", context)


MINUTES_PAGE = NotePage(
    "family:minutes",
    forms.MinutesForm,
    MINUTES,
    parent_page="family:meeting_detail",
    nav=NAV,
    signed_message=gettext_lazy("Protokollet är signerat och låst."),
)


@route("familjearenden/moten/<int:pk>/protokoll/nytt/", name="minutes_new")
@route("familjearenden/protokoll/<int:pk>/ratta/", name="minutes_correct", correct=True)
@require_POST
def minutes_new(request, pk, correct=False):
    """New minutes of the meeting ``pk``, or (``correct``) a correction of the minutes ``pk``."""
    original = queries.note_for_write(actor=request.user, pk=pk, action="view") if correct else None
    meeting_pk = original.meeting_id if original else pk
    meeting = queries.meeting_for_write(actor=request.user, pk=meeting_pk)
    return MINUTES_PAGE.start(request, services.minutes_create, meeting, corrects=original)


@route("familjearenden/protokoll/<int:pk>/", name="minutes_edit")
@route("familjearenden/protokoll/<int:pk>/autospara/", name="minutes_autosave", autosave=True)
def minutes_edit(request, pk, autosave=False):
    """The draft's page, or (htmx, POST) its autosave: one view, NotePage.answer."""
    read = partial(queries.note_for_write, action="view") if autosave else queries.note_get
    return MINUTES_PAGE.answer(request, read, pk, autosave=autosave)
