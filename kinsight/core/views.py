"""Administration of the organisation and its staff (systemförvaltare)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.access.rules import administrator_only
from kinsight.accounts import services as account_services
from kinsight.core import queries, services
from kinsight.core.forms import (
    MembershipForm,
    OrgUnitForm,
    StaffCreateForm,
    StaffFilterForm,
    StaffForm,
)
from kinsight.ui.forms_flow import form_page, post_on_detail
from kinsight.ui.paging import page_of, query_without_page
from kinsight.ui.routes import route


@route("organisation/", name="unit_list")
def unit_list(request):
    administrator_only(request)
    tree = queries.org_tree(actor=request.user)
    return render(
        request, "core/unit_list.html", {"title": _("Organisation"), "tree": tree, "nav": "org"}
    )


@route("organisation/ny/", name="unit_create")
@route("organisation/<int:pk>/andra/", name="unit_edit")
def unit_edit(request, pk=None):
    administrator_only(request)
    unit = queries.org_unit_get(actor=request.user, pk=pk, action="change") if pk else None
    form = OrgUnitForm(request.POST or None, instance=unit, municipality=request.user.municipality)

    def save(data):
        if unit is None:
            fields = {name: data[name] for name in ("parent", "kind", "name", "unit_type")}
            return services.org_unit_create(actor=request.user, **fields)
        return services.org_unit_update(
            actor=request.user, unit=unit, expected_version=form.expected_version(), data=data
        )

    title = _("Ändra %(name)s") % {"name": unit.name} if unit else _("Ny organisationsenhet")
    return form_page(
        request,
        form,
        save,
        done=lambda saved: _("%(name)s är sparad.") % {"name": saved.name},
        back_to=reverse("core:unit_list"),
        template="ui/form_page.html",
        context={"title": title, "nav": "org", "cancel_url": reverse("core:unit_list")},
    )


@route("personal/", name="staff_list")
def staff_list(request):
    administrator_only(request)
    form = StaffFilterForm(request.GET or None, municipality=request.user.municipality)
    filters = form.cleaned_data if form.is_valid() else {"active": "1"}
    staff = queries.staff_search(
        actor=request.user,
        q=filters.get("q", ""),
        unit=filters.get("unit"),
        role=filters.get("role", ""),
        active=filters.get("active", "1"),
    )
    page = page_of(request, staff)
    template = "core/_staff_rows.html" if request.htmx else "core/staff_list.html"
    context = {
        "title": _("Personal"),
        "form": form,
        "page": page,
        "nav": "staff",
        "query": query_without_page(request),
    }
    return render(request, template, context)


def _staff_context(staff, form):
    """A member of staff's page: their roles and the form that adds one."""
    memberships = staff.memberships.select_related("unit").order_by("unit__name", "role")
    return {"staff": staff, "memberships": memberships, "form": form, "nav": "staff"}


@route("personal/<int:pk>/", name="staff_detail")
def staff_detail(request, pk):
    administrator_only(request)
    staff = queries.staff_get(actor=request.user, pk=pk, action="change")
    context = _staff_context(staff, MembershipForm(municipality=request.user.municipality))
    context["has_device"] = account_services.confirmed_device(staff) is not None
    return render(request, "core/staff_detail.html", context)


@route("personal/ny/", name="staff_create")
@route("personal/<int:pk>/andra/", name="staff_edit")
def staff_edit(request, pk=None):
    administrator_only(request)
    staff = queries.staff_get(actor=request.user, pk=pk, action="change") if pk else None
    form = (StaffForm if staff else StaffCreateForm)(request.POST or None, instance=staff)
    created = ("username", "first_name", "last_name", "email", "title", "password")

    def save(data):
        if staff is None:
            return services.staff_create(actor=request.user, **{n: data[n] for n in created})
        return services.staff_update(
            actor=request.user, user=staff, expected_version=form.expected_version(), data=data
        )

    title = _("Ändra %(name)s") % {"name": staff} if staff else _("Ny medarbetare")
    cancel = reverse("core:staff_detail", args=[staff.pk]) if staff else reverse("core:staff_list")
    return form_page(
        request,
        form,
        save,
        done=lambda saved: _("%(name)s är sparad.") % {"name": saved},
        back_to=lambda saved: reverse("core:staff_detail", args=[saved.pk]),
        template="ui/form_page.html",
        context={"title": title, "nav": "staff", "cancel_url": cancel},
    )


@route("personal/<int:pk>/roller/", name="membership_add")
@require_POST
def membership_add(request, pk):
    administrator_only(request)
    staff = queries.staff_get(actor=request.user, pk=pk, action="change")
    return post_on_detail(
        request,
        MembershipForm(request.POST, municipality=request.user.municipality),
        lambda data: services.membership_add(actor=request.user, user=staff, **data),
        done=_("Rollen är tillagd."),
        back_to=reverse("core:staff_detail", args=[staff.pk]),
        template="core/staff_detail.html",
        context=lambda form: _staff_context(staff, form),
    )


@route("personal/<int:pk>/roller/<int:membership_pk>/ta-bort/", name="membership_remove")
@require_POST
def membership_remove(request, pk, membership_pk):
    administrator_only(request)
    membership = queries.membership_get(actor=request.user, pk=membership_pk, action="change")
    if membership.user_id != pk:
        raise Http404
    services.membership_remove(actor=request.user, membership=membership)
    messages.success(request, _("Rollen är borttagen."))
    return redirect("core:staff_detail", pk=pk)


@route("personal/<int:pk>/aterstall-tvastegsverifiering/", name="staff_reset_two_factor")
@require_POST
def staff_reset_two_factor(request, pk):
    administrator_only(request)
    staff = queries.staff_get(actor=request.user, pk=pk, action="change")
    account_services.device_reset(actor=request.user, user=staff)
    messages.success(
        request,
        _("Tvåstegsverifieringen är återställd. %(name)s aktiverar den igen vid nästa inloggning.")
        % {"name": staff},
    )
    return redirect("core:staff_detail", pk=pk)
