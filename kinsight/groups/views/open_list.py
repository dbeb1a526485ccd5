"""The open group list (no sign-in), when the municipality has chosen to show it: the
cycles with free places, and an application form per cycle that lands with the
cycle's leaders. Spam is kept out without a CAPTCHA: a field a person never sees (the
honeypot, hidden by a CSS class), a signed time stamp (not faster than a person, not
older than two hours) and a count of applications per client address. Nothing about
other applicants is ever shown."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kinsight.groups.forms_intake import ApplicationForm, Refused, check_stamp, stamp
from kinsight.groups.queries_applications import public_cycle, public_cycles, public_municipality
from kinsight.groups.services.applications import application_submit
from kinsight.ui.forms_flow import run_service
from kinsight.ui.ratelimit import Limit
from kinsight.ui.routes import route

APPLICATIONS = Limit("groups:application", allowed=5, window=60 * 60)
HONEYPOT = "website"


def _public(request, template, municipality, title, status=200, **context):
    """A page of the open list: every one names the municipality whose list it is."""
    context = {"title": title, "municipality": municipality} | context
    return render(request, template, context, status=status)


@route("grupper/<str:code>/", name="open_list")
def open_list(request, code):
    municipality = public_municipality(code)
    title = _("Stödgrupper i %(municipality)s") % {"municipality": municipality.name}
    cycles = list(public_cycles(municipality.pk))
    return _public(request, "groups/open_list.html", municipality, title, cycles=cycles)


def _spam_refusal(request):
    """The reason the spam protection refuses this post, or None."""
    if APPLICATIONS.exceeded(request):
        return _("Många anmälningar har skickats härifrån. Försök igen om en timme."), 429
    APPLICATIONS.count(request)
    if request.POST.get(HONEYPOT):
        return _("Anmälan kunde inte skickas. Lämna det dolda fältet tomt och försök igen."), 400
    try:
        check_stamp(request.POST.get("stamp", ""))
    except Refused as refusal:
        return str(refusal.args[0]), 400
    return None


@route("grupper/<str:code>/<int:pk>/anmalan/", name="open_apply")
def open_apply(request, code, pk):
    """The application form of one cycle; sent, the thanks page. A refused post shows
    the form again with the input kept and what to do (400, or 429 for too many)."""
    municipality = public_municipality(code)
    cycle = public_cycle(municipality.pk, pk)
    form = ApplicationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        refusal = _spam_refusal(request)
        if refusal:
            message, status = refusal
            form.is_valid()
            form.add_error(None, message)
        elif form.is_valid() and run_service(
            request,
            form,
            lambda: application_submit(cycle=cycle, **_fields(form.cleaned_data)),
        ):
            return redirect("groups:open_thanks", code=municipality.code)
        else:
            status = 400
    return _public(
        request,
        "groups/open_apply.html",
        municipality,
        _("Anmäl intresse: %(programme)s") % {"programme": cycle.programme.name},
        status,
        cycle=cycle,
        form=form,
        stamp=stamp(),
        honeypot=HONEYPOT,
    )


def _fields(data):
    return {name: data[name] for name in ("name", "contact", "age_band", "sex", "message")}


@route("grupper/<str:code>/tack/", name="open_thanks")
def open_thanks(request, code):
    municipality = public_municipality(code)
    return _public(request, "groups/open_thanks.html", municipality, _("Tack för din anmälan"))
