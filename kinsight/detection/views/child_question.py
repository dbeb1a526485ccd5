"""The child question on an adult's case."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from kinsight.core.versioning import NOT_YET_SAVED
from kinsight.detection import queries, services
from kinsight.detection.forms import ChildQuestionForm
from kinsight.detection.views.common import case_for_change
from kinsight.ui.forms_flow import call_with, form_page
from kinsight.ui.routes import route


@route("arenden/<int:case_pk>/barnfragan/", name="question_answer")
def question_answer(request, case_pk):
    case = case_for_change(request, case_pk)
    detection = queries.case_detection(actor=request.user, case=case)
    if not detection["is_adult"]:
        raise Http404
    question = detection["question"]
    fields = ("has_children", "expecting_child", "unknown_reason")
    initial = {"version": NOT_YET_SAVED}
    if question is not None:
        initial = {"version": question.version} | {name: getattr(question, name) for name in fields}
    form = ChildQuestionForm(request.POST or None, initial=initial)

    def next_page(saved):
        if saved.has_children == "yes" and not detection["child_records"]:
            return reverse("detection:child_new", kwargs={"case_pk": case.pk})
        return reverse("cases:case_detail", kwargs={"pk": case.pk})

    return form_page(
        request,
        form,
        call_with(
            services.child_question_answer, "version", *fields, actor=request.user, case=case
        ),
        done=_("Barnfrågan är besvarad."),
        back_to=next_page,
        template="detection/question_form.html",
        context={
            "title": _("Barnfrågan"),
            "submit": _("Spara svaret"),
            "case": case,
            "cancel_url": reverse("cases:case_detail", kwargs={"pk": case.pk}),
            "nav": "my_cases",
        },
    )
