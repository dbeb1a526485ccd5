"""The municipality's settings for support groups: the open group list on or off, and
the age from which a child's own consent to measurement is needed. Administrators and
heads of services; anyone else gets 404."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from kinsight.groups.access import leads_groups
from kinsight.groups.forms_intake import SettingsForm
from kinsight.groups.queries_settings import group_settings
from kinsight.groups.services.settings import settings_set
from kinsight.ui.forms_flow import call_with, form_page
from kinsight.ui.routes import route


@route("stodgrupper/installningar/", name="settings")
def settings_edit(request):
    if not leads_groups(request.user):
        raise Http404
    current = group_settings(request.user.municipality_id)
    catalogue = reverse("groups:catalogue")
    public_url = reverse("groups:open_list", args=[request.user.municipality.code])
    return form_page(
        request,
        SettingsForm(request.POST or None, instance=current),
        call_with(settings_set, "public_list", "own_consent_age", actor=request.user),
        done=_("Inställningarna är sparade."),
        back_to=reverse("groups:settings"),
        template="ui/form_page.html",
        context={
            "title": _("Inställningar för stödgrupper"),
            "nav": "groups",
            "intro": _("Den öppna grupplistan finns på %(url)s när den är påslagen.")
            % {"url": request.build_absolute_uri(public_url)},
            "cancel_url": catalogue,
            "submit": _("Spara"),
        },
    )
