"""The administrator's retention pages (gallring): the rules and proposals, a rule's
form, a proposal's preview (counts per rule and kind, what the exceptions keep, a
sample of 20 due files with why) with its two approvals or a rejection and the
culling's progress (polled with htmx), the culling records, and the legal holds and
archive marks. Everyone but the municipality's administrators gets 404."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.access.rules import administrator_only
from kinsight.core.forms import VersionForm
from kinsight.retention import queries, services
from kinsight.retention.forms import HoldForm, PersonForm, RejectForm, RuleForm
from kinsight.ui.forms_flow import act_and_back, call_with, form_page, post_on_detail, run_service
from kinsight.ui.paging import page_of, query_without_page
from kinsight.ui.progress import status_view
from kinsight.ui.routes import route

NAV = "retention"


@route("gallring/", name="start")
def start(request):
    administrator_only(request)
    context = {
        "title": _("Gallring"),
        "rules": list(queries.rules(request.user)),
        "page": page_of(request, queries.proposals(request.user)),
        "query": query_without_page(request),
        "nav": NAV,
    }
    return render(request, "retention/start.html", context)


@route("gallring/regler/<int:pk>/", name="rule_edit")
def rule_edit(request, pk):
    rule = queries.rule_get(request.user, pk)
    form = RuleForm(request.POST or None, instance=rule)
    fields = [name for name in form.fields if name != "version"]
    call = call_with(services.rule_update, "version", *fields, actor=request.user, rule=rule)
    back = reverse("retention:start")
    context = {
        "title": _("Gallringsregel: %(rule)s") % {"rule": rule.get_kind_display()},
        "cancel_url": back,
        "nav": NAV,
    }
    done = _("Regeln är sparad.")
    template = "ui/form_page.html"
    return form_page(
        request, form, call, done=done, back_to=back, template=template, context=context
    )


def _proposal_context(request, proposal, reject_form=None):
    rule_rows = list(queries.rules(request.user))
    return {
        "title": _("Gallringsförslag %(day)s") % {"day": proposal.as_of.isoformat()},
        "proposal": proposal,
        "summary": queries.summary(proposal, rule_rows),
        "sample": queries.sample(request.user, proposal) if proposal.is_open else [],
        "approve_form": VersionForm(initial={"version": proposal.version}),
        "reject_form": reject_form or RejectForm(initial={"version": proposal.version}),
        "may_approve": proposal.is_open and proposal.first_approved_by_id != request.user.pk,
        "nav": NAV,
    }


@route("gallring/forslag/<int:pk>/", name="proposal")
def proposal(request, pk):
    context = _proposal_context(request, queries.proposal_get(request.user, pk))
    return render(request, "retention/proposal.html", context)


proposal_status = route("gallring/forslag/<int:pk>/status/", name="proposal_status")(
    status_view(__name__, queries.proposal_get, "retention/_status.html", "proposal")
)


@route("gallring/forslag/<int:pk>/godkann/", name="proposal_approve")
@require_POST
def proposal_approve(request, pk):
    found = queries.proposal_get(request.user, pk)
    form = VersionForm(request.POST)
    back = reverse("retention:proposal", kwargs={"pk": pk})
    version = form.cleaned_data["version"] if form.is_valid() else None
    call = lambda: services.proposal_approve(  # noqa: E731
        actor=request.user, proposal=found, expected_version=version
    )
    done = lambda saved: (  # noqa: E731
        _("Godkänt. Gallringen har startat.")
        if saved.is_running or saved.status == "done"
        else _("Godkänt. En annan systemförvaltare behöver också godkänna förslaget.")
    )
    return act_and_back(request, call, done=done, back=back)


@route("gallring/forslag/<int:pk>/avsla/", name="proposal_reject")
@require_POST
def proposal_reject(request, pk):
    found = queries.proposal_get(request.user, pk)
    return post_on_detail(
        request,
        RejectForm(request.POST),
        call_with(
            services.proposal_reject, "version", "reason", actor=request.user, proposal=found
        ),
        done=_("Förslaget är avslaget. Inget gallras."),
        back_to=reverse("retention:proposal", kwargs={"pk": pk}),
        template="retention/proposal.html",
        context=lambda form: _proposal_context(request, found, form),
    )


@route("gallring/forslag/<int:pk>/starta-igen/", name="proposal_restart")
@require_POST
def proposal_restart(request, pk):
    found = queries.proposal_get(request.user, pk)
    back = reverse("retention:proposal", kwargs={"pk": pk})
    call = lambda: services.proposal_restart(actor=request.user, proposal=found)  # noqa: E731
    return act_and_back(request, call, done=_("Gallringen fortsätter."), back=back)


@route("gallring/protokoll/", name="records")
def records(request):
    administrator_only(request)
    context = {
        "title": _("Gallringsprotokoll"),
        "page": page_of(request, queries.records(request.user)),
        "query": query_without_page(request),
        "nav": NAV,
    }
    return render(request, "retention/records.html", context)


def _holds_page(request, hold_form=None, mark_form=None, status=200):
    page = page_of(request, queries.holds(request.user))
    page.object_list = queries.audited_holds(request.user, page.object_list)
    context = {
        "title": _("Spärrar mot gallring"),
        "page": page,
        "query": query_without_page(request),
        "hold_form": hold_form or HoldForm(),
        "mark_form": mark_form or PersonForm(),
        "end_form": VersionForm(),
        "nav": NAV,
    }
    return render(request, "retention/holds.html", context, status=status)


@route("gallring/sparrar/", name="holds")
def holds(request):
    administrator_only(request)
    return _holds_page(request)


def _person_then(request, form, on_page, service, done, **fields):
    """An administrator posts ``form`` (``on_page`` on the holds page) naming a person by
    number: ``service`` for that person, then the holds; refused, the holds page again
    with the form (400). The hold and the archive mark differ only by these."""
    administrator_only(request)
    if form.is_valid():
        data = form.cleaned_data

        def call():
            pk = services.person_id_of(request.user, data["identifier"])
            extra = {name: data[source] for name, source in fields.items()}
            return service(actor=request.user, person_id=pk, reason=data["reason"], **extra)

        if run_service(request, form, call) is not None:
            messages.success(request, done)
            return redirect("retention:holds")
    return _holds_page(request, **{on_page: form}, status=400)


@route("gallring/sparrar/ny/", name="hold_create")
@require_POST
def hold_create(request):
    done = _("Spärren är satt. Personakten gallras inte så länge den gäller.")
    form = HoldForm(request.POST)
    return _person_then(request, form, "hold_form", services.hold_create, done, until="until")


@route("gallring/arkivvardig/ny/", name="archive_mark")
@require_POST
def archive_mark(request):
    done = _("Personakten är markerad som arkivvärdig och gallras aldrig.")
    form = PersonForm(request.POST)
    return _person_then(request, form, "mark_form", services.archive_mark, done)


@route("gallring/sparrar/<int:pk>/avsluta/", name="hold_end")
@require_POST
def hold_end(request, pk):
    hold = queries.hold_get(request.user, pk)
    call = lambda: services.hold_end(actor=request.user, hold=hold)  # noqa: E731
    return act_and_back(
        request, call, done=_("Spärren är avslutad."), back=reverse("retention:holds")
    )
