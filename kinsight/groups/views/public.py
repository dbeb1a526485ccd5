"""The public answer page (no sign-in): a participant types the one-time code a leader
gave them, answers that one questionnaire, and is thanked. Nothing of the participant
is shown. Wrong codes are counted per client address; after too many the page refuses
for a while (429)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.groups import services
from kinsight.groups.forms import AnswersForm, CodeForm
from kinsight.groups.services.measurements import code_find
from kinsight.ui.forms_flow import run_service
from kinsight.ui.ratelimit import Limit
from kinsight.ui.routes import route

WRONG_CODES = Limit("groups:answer:wrong", allowed=10, window=15 * 60)


def _start(request, status, **context):
    """The code page, one for every way back to it: the field with what was wrong, or
    that this address is blocked for a while."""
    context = {"title": _("Svara på frågor")} | context
    return render(request, "groups/answer_start.html", context, status=status)


def _blocked(request):
    if not WRONG_CODES.exceeded(request):
        return None
    message = _("För många felaktiga koder. Vänta en kvart och försök igen.")
    return _start(request, 429, blocked=message)


def _wrong(request, form, refusal):
    """A wrong, used or expired code: counted, and the one message for every reason."""
    WRONG_CODES.count(request)
    form.add_error(None, str(refusal.args[0]) if refusal.args else _("Koden gäller inte."))
    return _start(request, 403, form=form)


def _questionnaire(request, code, found, form, status=200):
    return render(
        request,
        "groups/answer_form.html",
        {
            "title": found.instrument.name,
            "instrument": found.instrument,
            "code": code,
            "form": form,
        },
        status=status,
    )


@route("svara/", name="answer")
def answer(request):
    """The code field; a valid code opens its questionnaire."""
    blocked = _blocked(request)
    if blocked:
        return blocked
    form = CodeForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _start(request, 400 if form.errors else 200, form=form)
    code = form.cleaned_data["code"]
    try:
        found = code_find(code)
    except PermissionDenied as refusal:
        return _wrong(request, form, refusal)
    return _questionnaire(request, code, found, AnswersForm(instrument=found.instrument))


@route("svara/fragor/", name="answer_submit")
@require_POST
def answer_submit(request):
    """The answers with their code: saved and the code spent, or the questionnaire
    again saying what to fix (400)."""
    blocked = _blocked(request)
    if blocked:
        return blocked
    code_form = CodeForm(request.POST)
    if not code_form.is_valid():
        return _start(request, 400, form=code_form)
    code = code_form.cleaned_data["code"]
    try:
        found = code_find(code)
        form = AnswersForm(request.POST, instrument=found.instrument)
        if form.is_valid() and run_service(
            request,
            form,
            lambda: services.code_answer(code=code, answers=form.cleaned_data["answers"]),
        ):
            return redirect("groups:answer_thanks")
    except PermissionDenied as refusal:
        return _wrong(request, code_form, refusal)
    return _questionnaire(request, code, found, form, status=400)


@route("svara/tack/", name="answer_thanks")
def answer_thanks(request):
    return render(request, "groups/answer_thanks.html", {"title": _("Tack för dina svar")})
