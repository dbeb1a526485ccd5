"""Pages for the interventions catalogue, the family plan, referrals and placements.
Thin: parse, call a query or service, render. Invisible is 404; visible but not
changeable is 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.audit.services import audit_read
from kinsight.family.models import FamilyMember
from kinsight.interventions import queries, services
from kinsight.interventions.forms import (
    CatalogueFilterForm,
    ContactEventForm,
    ContactPlanForm,
    FollowUpForm,
    GoalEditForm,
    GoalForm,
    InterventionEditForm,
    InterventionForm,
    OutcomeForm,
    PlacementEndForm,
    PlacementForm,
    PlanInterventionEditForm,
    PlanInterventionForm,
    ReferralForm,
    ReferralStepForm,
)
from kinsight.interventions.models import (
    FamilyPlan,
    PlanGoal,
    ReferralStatus,
)
from kinsight.ui.forms_flow import run_service

PAGE_SIZE = 25
FAMILY_NAV = "family"


def _bad(form):
    return 400 if form.is_bound and form.errors else 200


def _members(request, family_work):
    """The current members the user may see (names need their consent)."""
    return list(
        FamilyMember.objects.visible_to(request.user, "view")
        .filter(family_work=family_work, ended_on__isnull=True)
        .select_related("person")
        .order_by("role", "pk")
    )


# The catalogue ------------------------------------------------------------------------


def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = queries.interventions(
        actor=request.user,
        search=data.get("q", ""),
        target=data.get("target", ""),
        include_inactive=data.get("inactive", False),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    can_edit = queries.can_edit_catalogue(request.user)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_edit": can_edit,
        "has_examples": can_edit and page.paginator.count and any(i.is_example for i in page),
        "nav": "interventions",
    }
    return render(request, "interventions/catalogue.html", context)


def _require_admin(request):
    if not queries.can_edit_catalogue(request.user):
        raise Http404


def _intervention_data(data):
    return {name: data.get(name) for name in services.INTERVENTION_FIELDS}


def intervention_new(request):
    _require_admin(request)
    form = InterventionForm(request.POST or None, user=request.user, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        data = _intervention_data(form.cleaned_data)
        saved = run_service(
            request, form, lambda: services.intervention_create(actor=request.user, **data)
        )
        if saved:
            messages.success(request, _("Insatsen %(name)s är sparad.") % {"name": saved})
            return redirect("interventions:catalogue")
    context = {"form": form, "title": _("Ny insats"), "nav": "interventions"}
    return render(request, "interventions/intervention_form.html", context, status=_bad(form))


def intervention_edit(request, pk):
    _require_admin(request)
    intervention = queries.intervention_get(actor=request.user, pk=pk, action="change")
    initial = {name: getattr(intervention, name) for name in services.INTERVENTION_FIELDS}
    initial["provider_unit"] = intervention.provider_unit_id
    initial["version"] = intervention.version
    form = InterventionEditForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = _intervention_data(form.cleaned_data)
        saved = run_service(
            request,
            form,
            lambda: services.intervention_update(
                actor=request.user,
                intervention=intervention,
                expected_version=form.cleaned_data["version"],
                data=data,
            ),
        )
        if saved:
            messages.success(request, _("Insatsen %(name)s är sparad.") % {"name": saved})
            return redirect("interventions:catalogue")
    context = {
        "form": form,
        "intervention": intervention,
        "title": _("Ändra insats"),
        "nav": "interventions",
    }
    return render(request, "interventions/intervention_form.html", context, status=_bad(form))


@require_POST
def examples_add(request):
    _require_admin(request)
    made = services.examples_add(actor=request.user)
    messages.success(request, _("%(n)s exempelinsatser är inlagda i katalogen.") % {"n": len(made)})
    return redirect("interventions:catalogue")


# The family plan ----------------------------------------------------------------------


def plan_detail(request, pk):
    family_work = queries.family_work_get(actor=request.user, pk=pk)
    overview = queries.plan_overview(actor=request.user, family_work=family_work)
    is_coordinator = queries.is_coordinator(actor=request.user, family_work=family_work)
    context = {
        "work": family_work,
        "is_coordinator": is_coordinator and not family_work.is_closed,
        "plan_made": overview["plan"] is not None or queries.plan_exists(family_work=family_work),
        "referrals": queries.referrals_for_work(actor=request.user, family_work=family_work),
        "placements": queries.placements_for_work(actor=request.user, family_work=family_work),
        "can_refer": services.sending_unit(request.user, family_work) is not None
        and not family_work.is_closed,
        "can_place": services.can_place(request.user, family_work) and not family_work.is_closed,
        "nav": FAMILY_NAV,
        **overview,
    }
    return render(request, "interventions/plan_detail.html", context)


def plan_history(request, pk):
    family_work = queries.family_work_get(actor=request.user, pk=pk)
    plan, revisions = queries.plan_history(actor=request.user, family_work=family_work)
    context = {"work": family_work, "plan": plan, "revisions": revisions, "nav": FAMILY_NAV}
    return render(request, "interventions/plan_history.html", context)


def _coordinated_work(request, pk):
    family_work = queries.family_work_get(actor=request.user, pk=pk)
    if not queries.is_coordinator(actor=request.user, family_work=family_work):
        raise PermissionDenied
    return family_work


def _plan_version(family_work):
    plan = FamilyPlan.objects.filter(family_work=family_work).first()
    return plan.version if plan else 0


def goal_new(request, pk):
    family_work = _coordinated_work(request, pk)
    form = GoalForm(
        request.POST or None,
        family_work=family_work,
        initial={"plan_version": _plan_version(family_work)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.goal_add(
                actor=request.user,
                family_work=family_work,
                perspective_key=data["perspective_key"],
                text=data["text"],
                expected_version=data["plan_version"],
            ),
        )
        if saved:
            messages.success(request, _("Målet är sparat i planen."))
            return redirect("interventions:plan", pk=family_work.pk)
    context = {"form": form, "work": family_work, "title": _("Nytt mål"), "nav": FAMILY_NAV}
    return render(request, "interventions/plan_form.html", context, status=_bad(form))


def goal_edit(request, pk):
    queries.goal_get(actor=request.user, pk=pk)  # 404 first
    try:
        goal = queries.goal_get(actor=request.user, pk=pk, action="change")
    except Http404:
        raise PermissionDenied from None
    if request.method == "GET":
        audit_read(actor=request.user, obj=goal)
    family_work = goal.plan.family_work
    form = GoalEditForm(request.POST or None, initial={"version": goal.version, "text": goal.text})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.goal_update(
                actor=request.user,
                goal=goal,
                expected_version=data["version"],
                text=data["text"],
            ),
        )
        if saved:
            messages.success(request, _("Målet är sparat i planen."))
            return redirect("interventions:plan", pk=family_work.pk)
    context = {
        "form": form,
        "work": family_work,
        "title": _("Ändra mål: %(label)s") % {"label": goal.perspective_label},
        "nav": FAMILY_NAV,
    }
    return render(request, "interventions/plan_form.html", context, status=_bad(form))


def plan_intervention_new(request, pk):
    family_work = _coordinated_work(request, pk)
    goals = PlanGoal.objects.visible_to(request.user, "change").filter(
        plan__family_work=family_work
    )
    initial = {"plan_version": _plan_version(family_work)}
    if request.GET.get("goal"):
        initial["goal"] = request.GET["goal"]
    form = PlanInterventionForm(
        request.POST or None, user=request.user, goals=goals, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.plan_intervention_add(
                actor=request.user,
                family_work=family_work,
                goal=data["goal"],
                intervention=data["intervention"],
                responsible_unit=data["responsible_unit"],
                responsible=data["responsible"],
                start_on=data["start_on"],
                end_on=data["end_on"],
                note=data["note"],
                follow_up_dates=data["follow_up_dates"],
                expected_version=data["plan_version"],
            ),
        )
        if saved:
            messages.success(request, _("Insatsen är sparad i planen."))
            return redirect("interventions:plan", pk=family_work.pk)
    context = {
        "form": form,
        "work": family_work,
        "title": _("Ny insats i planen"),
        "no_goals": not goals.exists(),
        "nav": FAMILY_NAV,
    }
    return render(request, "interventions/plan_form.html", context, status=_bad(form))


def _changeable_item(request, pk):
    queries.plan_intervention_get(actor=request.user, pk=pk, audit=False)  # 404 first
    try:
        return queries.plan_intervention_get(
            actor=request.user, pk=pk, action="change", audit=False
        )
    except Http404:
        raise PermissionDenied from None


def _goal_visible(user, item):
    """The responsible unit may act on its intervention without seeing the whole plan:
    the goal (its text and the perspective, which names family members) follows the
    goal's own rule (whole-family consent)."""
    return PlanGoal.objects.visible_to(user, "view").filter(pk=item.goal_id).exists()


def plan_intervention_edit(request, pk):
    item = _changeable_item(request, pk)
    if request.method == "GET":
        audit_read(actor=request.user, obj=item)
    family_work = item.plan.family_work
    goal_visible = _goal_visible(request.user, item)
    form = PlanInterventionEditForm(
        request.POST or None,
        user=request.user,
        initial={
            "version": item.version,
            "responsible_unit": item.responsible_unit_id,
            "responsible": item.responsible_id,
            "start_on": item.start_on,
            "end_on": item.end_on,
            "note": item.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.plan_intervention_update(
                actor=request.user,
                plan_intervention=item,
                expected_version=data["version"],
                responsible_unit=data["responsible_unit"],
                responsible=data["responsible"],
                start_on=data["start_on"],
                end_on=data["end_on"],
                note=data["note"],
            ),
        )
        if saved:
            messages.success(request, _("Insatsen är sparad i planen."))
            return redirect("interventions:plan", pk=family_work.pk)
    follow_up_form = FollowUpForm()
    context = {
        "form": form,
        "item": item,
        "work": family_work,
        "follow_up_form": follow_up_form,
        "follow_ups": list(item.follow_ups.all()),
        "goal_visible": goal_visible,
        "nav": FAMILY_NAV,
    }
    return render(request, "interventions/plan_intervention.html", context, status=_bad(form))


@require_POST
def follow_up_new(request, pk):
    item = _changeable_item(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        saved = run_service(
            request,
            form,
            lambda: services.follow_up_add(
                actor=request.user, plan_intervention=item, due_on=form.cleaned_data["due_on"]
            ),
        )
        if saved:
            messages.success(request, _("Uppföljningen är inlagd."))
            return redirect("interventions:plan_intervention", pk=item.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("interventions:plan_intervention", pk=item.pk)


def follow_up_record(request, pk):
    queries.follow_up_get(actor=request.user, pk=pk)  # 404 first
    try:
        follow_up = queries.follow_up_get(actor=request.user, pk=pk, action="change")
    except Http404:
        raise PermissionDenied from None
    if request.method == "GET":
        audit_read(actor=request.user, obj=follow_up)
    item = follow_up.plan_intervention
    form = OutcomeForm(
        request.POST or None,
        prefix=f"f{follow_up.pk}",
        initial={
            "version": follow_up.version,
            "outcome": follow_up.outcome,
            "outcome_on": follow_up.outcome_on,
            "note": follow_up.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.follow_up_record(
                actor=request.user,
                follow_up=follow_up,
                expected_version=data["version"],
                outcome=data["outcome"],
                outcome_on=data["outcome_on"],
                note=data["note"],
            ),
        )
        if saved:
            messages.success(request, _("Uppföljningen är sparad."))
            return redirect("interventions:plan", pk=item.plan.family_work_id)
    context = {
        "form": form,
        "follow_up": follow_up,
        "item": item,
        "work": item.plan.family_work,
        "title": _("Uppföljning av %(name)s") % {"name": item.intervention},
        "goal_visible": _goal_visible(request.user, item),
        "nav": FAMILY_NAV,
    }
    return render(request, "interventions/plan_form.html", context, status=_bad(form))


# Referrals ----------------------------------------------------------------------------


def referral_list(request):
    status = request.GET.get("status", "")
    if status and status not in ReferralStatus.values:
        status = ""
    received, sent = queries.referral_lists(actor=request.user, status=status)
    received = Paginator(received, PAGE_SIZE).get_page(request.GET.get("page"))
    sent = Paginator(sent, PAGE_SIZE).get_page(request.GET.get("sent_page"))
    shown = {r.pk: r for r in [*received.object_list, *sent.object_list]}
    queries.audit_list(
        actor=request.user, objects=shown.values(), object_type=queries.REFERRAL_TYPE
    )
    context = {
        "received": received,
        "sent": sent,
        "status": status,
        "statuses": ReferralStatus.choices,
        "nav": "referrals",
    }
    return render(request, "interventions/referral_list.html", context)


def referral_new(request, pk):
    family_work = queries.family_work_get(actor=request.user, pk=pk)
    if services.sending_unit(request.user, family_work) is None:
        raise PermissionDenied
    members = _members(request, family_work)
    initial = {}
    for name in ("person", "intervention", "to_unit"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = ReferralForm(request.POST or None, user=request.user, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.referral_send(
                actor=request.user,
                family_work=family_work,
                person=data["person"],
                intervention=data["intervention"],
                to_unit=data["to_unit"],
                external_provider=data["external_provider"],
                external_contact=data["external_contact"],
                reason=data["reason"],
            ),
        )
        if saved:
            messages.success(
                request, _("Remissen är skickad till %(to)s.") % {"to": saved.receiver}
            )
            return redirect("interventions:referral_detail", pk=saved.pk)
    context = {"form": form, "work": family_work, "nav": FAMILY_NAV}
    return render(request, "interventions/referral_form.html", context, status=_bad(form))


def referral_detail(request, pk):
    referral = queries.referral_get(actor=request.user, pk=pk)
    acting = services.referral_acting_unit(request.user, referral)
    step_form = None
    if acting is not None and referral.next_statuses():
        step_form = ReferralStepForm(referral=referral)
    context = {"referral": referral, "step_form": step_form, "nav": "referrals"}
    return render(request, "interventions/referral_detail.html", context)


@require_POST
def referral_step(request, pk):
    referral = queries.referral_get(actor=request.user, pk=pk, audit=False)
    if services.referral_acting_unit(request.user, referral) is None:
        raise PermissionDenied
    form = ReferralStepForm(request.POST, referral=referral)
    if form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.referral_step(
                actor=request.user,
                referral=referral,
                status=data["status"],
                expected_version=data["version"],
                on=data["on"],
                note=data["note"],
            ),
        )
        if saved:
            messages.success(
                request,
                _("Remissen är %(status)s.") % {"status": saved.get_status_display().lower()},
            )
            return redirect("interventions:referral_detail", pk=referral.pk)
    context = {"referral": referral, "step_form": form, "nav": "referrals"}
    return render(request, "interventions/referral_detail.html", context, status=400)


# Placement ----------------------------------------------------------------------------


def placement_new(request, pk):
    family_work = queries.family_work_get(actor=request.user, pk=pk)
    if not services.can_place(request.user, family_work):
        raise PermissionDenied
    form = PlacementForm(
        request.POST or None, user=request.user, members=_members(request, family_work)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.placement_create(
                actor=request.user,
                family_work=family_work,
                child=data["child"],
                kind=data["kind"],
                place=data["place"],
                responsible_unit=data["responsible_unit"],
                start_on=data["start_on"],
                end_on=data["end_on"],
                note=data["note"],
            ),
        )
        if saved:
            messages.success(request, _("Placeringen är registrerad."))
            return redirect("interventions:placement_detail", pk=saved.pk)
    context = {"form": form, "work": family_work, "title": _("Ny placering"), "nav": FAMILY_NAV}
    return render(request, "interventions/plan_form.html", context, status=_bad(form))


def _placement_context(request, placement, **extra):
    can_change = _may(
        lambda: queries.placement_get(
            actor=request.user, pk=placement.pk, action="change", audit=False
        )
    )
    contact_plans = queries.contact_plans(actor=request.user, placement=placement)
    failed = extra.pop("event_plan", None)
    for plan in contact_plans:
        plan.event_form = None
        if can_change:
            plan.event_form = ContactEventForm(prefix=f"c{plan.pk}")
            if failed is not None and failed.pk == plan.pk:
                plan.event_form = extra.pop("event_form")
    context = {
        "placement": placement,
        "contact_plans": contact_plans,
        "can_change": can_change,
        "end_form": PlacementEndForm(initial={"version": placement.version})
        if can_change and placement.end_on is None
        else None,
        "contact_plan_form": ContactPlanForm(members=_members(request, placement.family_work))
        if can_change
        else None,
        "nav": FAMILY_NAV,
    }
    context.update(extra)
    return context


def _may(call):
    try:
        call()
    except Http404:
        return False
    return True


def placement_detail(request, pk):
    placement = queries.placement_get(actor=request.user, pk=pk)
    return render(
        request, "interventions/placement_detail.html", _placement_context(request, placement)
    )


def _changeable_placement(request, pk):
    queries.placement_get(actor=request.user, pk=pk, audit=False)  # 404 first
    try:
        return queries.placement_get(actor=request.user, pk=pk, action="change", audit=False)
    except Http404:
        raise PermissionDenied from None


@require_POST
def placement_end(request, pk):
    placement = _changeable_placement(request, pk)
    form = PlacementEndForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.placement_end(
                actor=request.user,
                placement=placement,
                expected_version=data["version"],
                end_on=data["end_on"],
            ),
        )
        if saved:
            messages.success(request, _("Placeringen är avslutad."))
            return redirect("interventions:placement_detail", pk=placement.pk)
    context = _placement_context(request, placement, end_form=form)
    return render(request, "interventions/placement_detail.html", context, status=400)


@require_POST
def contact_plan_new(request, pk):
    placement = _changeable_placement(request, pk)
    form = ContactPlanForm(request.POST, members=_members(request, placement.family_work))
    if form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.contact_plan_add(
                actor=request.user,
                placement=placement,
                parent=data["parent"],
                frequency=data["frequency"],
                arrangement=data["arrangement"],
            ),
        )
        if saved:
            messages.success(request, _("Umgänget är planerat."))
            return redirect("interventions:placement_detail", pk=placement.pk)
    context = _placement_context(request, placement, contact_plan_form=form)
    return render(request, "interventions/placement_detail.html", context, status=400)


@require_POST
def contact_event_new(request, pk):
    queries.contact_plan_get(actor=request.user, pk=pk)  # 404 first
    try:
        contact_plan = queries.contact_plan_get(actor=request.user, pk=pk, action="change")
    except Http404:
        raise PermissionDenied from None
    placement = contact_plan.placement
    form = ContactEventForm(request.POST, prefix=f"c{contact_plan.pk}")
    if form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.contact_event_record(
                actor=request.user,
                contact_plan=contact_plan,
                on=data["on"],
                status=data["status"],
                note=data["note"],
            ),
        )
        if saved:
            messages.success(request, _("Umgänget är registrerat."))
            return redirect("interventions:placement_detail", pk=placement.pk)
    context = _placement_context(request, placement, event_form=form, event_plan=contact_plan)
    return render(request, "interventions/placement_detail.html", context, status=400)
