"""The child question on an adult's case."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kinsight.core.versioning import NOT_YET_SAVED
from kinsight.detection import queries, services
from kinsight.detection.forms import ChildQuestionForm
from kinsight.detection.views.common import case_for_change
from kinsight.ui.forms_flow import run_service


def question_answer(request, case_pk):
    case = case_for_change(request, case_pk)
    detection = queries.case_detection(actor=request.user, case=case)
    if not detection["is_adult"]:
        raise Http404
    question = detection["question"]
    initial = {"version": NOT_YET_SAVED}
    if question is not None:
        initial = {
            "version": question.version,
            "has_children": question.has_children,
            "unknown_reason": question.unknown_reason,
            "expecting_child": question.expecting_child,
        }
    form = ChildQuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.child_question_answer(
                actor=request.user,
                case=case,
                has_children=data["has_children"],
                expecting_child=data["expecting_child"],
                unknown_reason=data["unknown_reason"],
                expected_version=data["version"],
            ),
        )
        if saved:
            messages.success(request, _("Barnfrågan är besvarad."))
            if saved.has_children == "yes" and not detection["child_records"]:
                return redirect("detection:child_new", case_pk=case.pk)
            return redirect("cases:case_detail", pk=case.pk)
    context = {"form": form, "case": case, "question": question, "nav": "my_cases"}
    return render(request, "detection/question_form.html", context)
