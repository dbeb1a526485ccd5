from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinsight.core.forms import VersionedForm
from kinsight.core.models import OrgUnit, Role, User
from kinsight.sso.admin import CONFIG_FIELDS
from kinsight.sso.models import GroupRole, SsoConfig


def _https_by_default(field, **kwargs):
    """An address typed without a scheme is taken as https://."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class SsoConfigForm(VersionedForm):
    class Meta:
        model = SsoConfig
        fields = CONFIG_FIELDS
        formfield_callback = _https_by_default
        widgets = {
            "saml_idp_metadata_xml": forms.Textarea(attrs={"rows": 4}),
            "mfa_values": forms.Textarea(attrs={"rows": 3}),
        }


class GroupRoleForm(forms.ModelForm):
    class Meta:
        model = GroupRole
        fields = ["group", "role", "unit"]
        help_texts = {
            "group": _("Gruppens namn som identitetsleverantören skickar, t.ex. ett grupp-id.")
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(municipality=municipality, is_active=True)
        self.fields["unit"].queryset = units.order_by("name")
        self.fields["role"].choices = Role.choices


class StaffIdentityForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Personal"), queryset=User.objects.none())
    employee_id = forms.CharField(label=_("Anställningsnummer"), max_length=100)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(municipality=municipality, is_active=True)
        self.fields["user"].queryset = staff.order_by("last_name", "first_name")
