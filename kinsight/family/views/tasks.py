"""Follow-up task pages: a new task (from the family work or a meeting), mark done."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from kinsight.family import forms, queries, services
from kinsight.family.views.common import form_page
from kinsight.ui.forms_flow import call_with
from kinsight.ui.routes import route


def _meeting_of(request, work):
    """The meeting named in ?mote= (a task decided there), or None."""
    pk = request.GET.get("mote")
    if not pk:
        return None
    if not pk.isdigit():
        raise Http404
    meeting = queries.meeting_for_write(actor=request.user, pk=pk, action="view")
    if meeting.family_work_id != work.pk:
        raise Http404
    return meeting


@route("familjearenden/<int:pk>/uppgifter/ny/", name="task_new")
def task_new(request, pk):
    work = queries.family_work_for_write(actor=request.user, pk=pk, action="view")
    meeting = _meeting_of(request, work)
    back = (
        reverse("family:meeting_detail", args=[meeting.pk])
        if meeting is not None
        else work.get_absolute_url()
    )
    fields = ["title", "decision", "due_on", "responsible_unit", "responsible"]
    return form_page(
        request,
        forms.TaskForm(request.POST or None, family_work=work),
        call_with(
            services.task_create, *fields, actor=request.user, family_work=work, meeting=meeting
        ),
        done=_("Uppgiften är registrerad."),
        title=_("Ny uppföljningsuppgift"),
        back=back,
    )


@route("familjearenden/uppgifter/<int:pk>/klar/", name="task_done")
def task_done(request, pk):
    task = queries.task_for_write(actor=request.user, pk=pk)
    return form_page(
        request,
        forms.TaskDoneForm(request.POST or None, initial={"version": task.version}),
        call_with(services.task_complete, "version", "outcome", actor=request.user, task=task),
        done=_("Uppgiften är klar."),
        title=_("Markera klar: %(task)s") % {"task": task.title},
        back=task.family_work.get_absolute_url(),
    )
