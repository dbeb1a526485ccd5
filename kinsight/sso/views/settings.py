"""The administrator's page for the municipality's sign-in through an identity
provider, and its group → role mappings."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.access.rules import administrator_only, get_for
from kinsight.sso import admin
from kinsight.sso.forms import GroupRoleForm, SsoConfigForm, StaffIdentityForm
from kinsight.sso.models import GroupRole
from kinsight.ui.forms_flow import act_and_back, call_with, form_page
from kinsight.ui.routes import route


@route("inloggning/", name="settings")
def sso_settings(request):
    administrator_only(request)
    config = admin.sso_config_of(actor=request.user)
    form = SsoConfigForm(request.POST or None, instance=config)
    group_roles = (
        GroupRole.objects.visible_to(request.user, "view").select_related("unit")
        if config.pk
        else GroupRole.objects.none()
    )

    def save(data):
        version = form.expected_version() if config.pk else None
        return admin.sso_config_save(actor=request.user, data=data, expected_version=version)

    return form_page(
        request,
        form,
        save,
        done=_("Inloggningsinställningarna är sparade."),
        back_to=reverse("sso:settings"),
        template="sso/settings.html",
        context={
            "title": _("Inloggning"),
            "nav": "sso",
            "config": config,
            "group_roles": list(group_roles),
            "metadata_url": _metadata_url(request, config),
        },
    )


def _metadata_url(request, config):
    if not config.pk:
        return ""
    path = reverse("sso:saml_metadata", args=[request.user.municipality.code])
    return request.build_absolute_uri(path)


def _settings_form(request, form_class, service, fields, done, title):
    """A small form of the settings page (administrators only): ``service(actor=…,
    <field>=…)`` for the named fields, and back to the settings."""
    administrator_only(request)
    form = form_class(request.POST or None, municipality=request.user.municipality)
    back = reverse("sso:settings")
    return form_page(
        request,
        form,
        call_with(service, *fields, actor=request.user),
        done=done,
        back_to=back,
        template="ui/form_page.html",
        context={"title": title, "nav": "sso", "cancel_url": back},
    )


@route("inloggning/grupper/ny/", name="group_role_create")
def group_role_create(request):
    done = lambda saved: _("Gruppen %(group)s ger nu rollen.") % {"group": saved.group}  # noqa: E731
    fields = ("group", "role", "unit")
    title = _("Ny grupp som ger roll")
    return _settings_form(request, GroupRoleForm, admin.group_role_add, fields, done, title)


@route("inloggning/grupper/<int:pk>/ta-bort/", name="group_role_remove")
@require_POST
def group_role_remove(request, pk):
    administrator_only(request)
    group_role = get_for(request.user, GroupRole.objects.all(), pk, "delete")
    return act_and_back(
        request,
        lambda: admin.group_role_remove(actor=request.user, group_role=group_role),
        done=lambda removed: (
            _("Gruppen %(group)s ger inte längre rollen.") % {"group": removed.group}
        ),
        back=reverse("sso:settings"),
    )


@route("inloggning/anstallningsnummer/", name="staff_identity")
def staff_identity(request):
    """Give a member of staff the employee id the provider sends for them."""
    done = lambda saved: _("Anställningsnumret %(id)s är sparat.") % {"id": saved.employee_id}  # noqa: E731
    fields = ("user", "employee_id")
    service = admin.staff_identity_set
    return _settings_form(
        request, StaffIdentityForm, service, fields, done, _("Anställningsnummer")
    )
