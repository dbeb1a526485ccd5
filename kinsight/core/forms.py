from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinsight.core.models import Membership, OrgUnit, Role, User
from kinsight.core.versioning import VersionMissing


class VersionField(forms.IntegerField):
    """The version the edit started from, in a hidden input (see
    kinsight.core.versioning). A post without it (or with something that is no
    version) is refused as a whole with VersionMissing, a 400 that tells the user to
    reload: the form never falls back to the stored row's version."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def clean(self, value):
        try:
            value = super().clean(value)
        except ValidationError:
            value = None
        if value is None:
            raise VersionMissing
        return value


class VersionForm(forms.Form):
    """For a button that changes a record (close, end): it carries only the version."""

    version = VersionField()


class StatusStepForm(VersionForm):
    """Moves ``row`` one step on its status flow: offers only the statuses that may
    follow its current one (``row.next_statuses()``, labelled from ``statuses``) and
    starts from the row's version."""

    statuses: type[models.TextChoices]
    status = forms.ChoiceField(label=_("Nästa steg"))

    def __init__(self, *args, row, **kwargs):
        super().__init__(*args, **kwargs)
        following = [self.statuses(s) for s in row.next_statuses()]
        self.fields["status"].choices = [(s.value, s.label) for s in following]
        if not self.is_bound:
            self.initial["version"] = row.version


class VersionedForm(forms.ModelForm):
    """Carries the version the edit started from, for optimistic locking (only when
    editing: a form that creates has no version)."""

    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["version"]
        elif not self.is_bound:
            self.initial["version"] = self.instance.version

    def expected_version(self):
        return self.cleaned_data["version"]


class OrgUnitForm(VersionedForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "kind", "parent", "unit_type", "is_active"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        parents = OrgUnit.objects.filter(municipality=municipality).exclude(kind="unit")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents.order_by("name")
        self.fields["parent"].help_text = _(
            "Nämnden överst; förvaltning eller stadsdel under nämnden; enheter under en "
            "förvaltning eller stadsdel."
        )
        if not self.instance.pk:
            del self.fields["is_active"]


class StaffForm(VersionedForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "username", "email", "title", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        if not self.instance.pk:
            del self.fields["is_active"]


class StaffCreateForm(StaffForm):
    password = forms.CharField(
        label=_("Tillfälligt lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Minst 12 tecken. Personen aktiverar tvåstegsverifiering vid första inloggningen."
        ),
    )

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password, User(username=self.data.get("username", "")))
        return password


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["unit", "role", "valid_from", "valid_to"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            municipality=municipality, is_active=True
        ).order_by("name")
        self.fields["role"].help_text = _(
            "Systemförvaltare, loggranskare och nätverksledare gäller hela kommunen; "
            "övriga roller gäller enheten och det som ligger under den."
        )
        self.fields["role"].choices = Role.choices


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök namn eller användarnamn"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Enhet"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("Alla")
    )
    role = forms.ChoiceField(
        label=_("Roll"), choices=[("", _("Alla"))] + Role.choices, required=False
    )
    active = forms.ChoiceField(
        label=_("Status"),
        choices=[("1", _("Aktiva")), ("0", _("Inaktiva")), ("", _("Alla"))],
        required=False,
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, initial={"active": "1"}, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(municipality=municipality).order_by(
            "name"
        )
