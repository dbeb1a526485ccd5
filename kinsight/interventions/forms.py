from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.forms import StatusStepForm, VersionField, VersionForm
from kinsight.core.models import OrgUnit, User
from kinsight.family.models import PARENT_ROLES, FamilyRole
from kinsight.interventions.models import (
    ContactStatus,
    EvidenceLevel,
    Format,
    Intervention,
    Outcome,
    PlacementKind,
    PlanGoal,
    ProviderKind,
    ReferralStatus,
    Target,
)
from kinsight.people.forms import DATE

CHOOSE = [("", _("Välj …"))]


def units(user):
    return OrgUnit.objects.filter(
        municipality_id=user.municipality_id, kind="unit", is_active=True
    ).order_by("name")


def staff(user):
    return User.objects.filter(municipality_id=user.municipality_id, is_active=True).order_by(
        "last_name", "first_name"
    )


def catalogue(user):
    return Intervention.objects.visible_to(user, "view").filter(is_active=True).order_by("name")


# The catalogue ------------------------------------------------------------------------


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Sök"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    target = forms.ChoiceField(
        label=_("Målgrupp"), required=False, choices=[("", _("Alla"))] + Target.choices
    )
    inactive = forms.BooleanField(label=_("Visa även inaktiva"), required=False)


class InterventionForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    target = forms.ChoiceField(label=_("Målgrupp"), choices=CHOOSE + Target.choices)
    provider_kind = forms.ChoiceField(label=_("Utförare"), choices=CHOOSE + ProviderKind.choices)
    provider_unit = forms.ModelChoiceField(
        label=_("Utförande enhet"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("För insatser som en enhet i kommunen utför."),
    )
    provider_name = forms.CharField(
        label=_("Extern utförare"),
        max_length=200,
        required=False,
        help_text=_("Namn på organisationen, t.ex. Maskrosbarn."),
    )
    provider_contact = forms.CharField(label=_("Kontaktuppgifter"), max_length=300, required=False)
    min_age = forms.IntegerField(label=_("Från ålder"), required=False, min_value=0, max_value=130)
    max_age = forms.IntegerField(label=_("Till ålder"), required=False, min_value=0, max_value=130)
    format = forms.ChoiceField(label=_("Form"), choices=CHOOSE + Format.choices)
    evidence_level = forms.ChoiceField(
        label=_("Evidensläge"), choices=EvidenceLevel.choices, initial=EvidenceLevel.UNKNOWN
    )
    code = forms.CharField(
        label=_("Kod"), max_length=30, required=False, help_text=_("KVÅ-liknande kod, fritext.")
    )
    description = forms.CharField(label=_("Beskrivning"), required=False, widget=forms.Textarea)
    is_active = forms.BooleanField(label=_("Aktiv (kan väljas i planer)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider_unit"].queryset = units(user)

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("Åldern till kan inte vara lägre än åldern från."))
        return data


class InterventionEditForm(InterventionForm, VersionForm):
    """Editing carries the version the edit started from; ``data``: the intervention's
    values, as intervention_update takes them."""

    def clean(self):
        data = super().clean()
        data["data"] = {name: data.get(name) for name in InterventionForm.base_fields}
        return data


# Family plan --------------------------------------------------------------------------


class GoalForm(forms.Form):
    plan_version = VersionField()
    # A text field with a select: the service explains a perspective that is not there.
    perspective_key = forms.CharField(label=_("Perspektiv"), max_length=60)
    text = forms.CharField(label=_("Mål"), widget=forms.Textarea)

    def __init__(self, *args, family_work, **kwargs):
        super().__init__(*args, **kwargs)
        choices = CHOOSE + [(p.key, p.label) for p in family_work.perspectives()]
        self.fields["perspective_key"].widget = forms.Select(choices=choices)


class GoalEditForm(VersionForm):
    text = forms.CharField(label=_("Mål"), widget=forms.Textarea)


def parse_dates(value):
    found = []
    for part in (value or "").replace(";", ",").replace(" ", ",").split(","):
        if part.strip():
            try:
                found.append(datetime.date.fromisoformat(part.strip()))
            except ValueError:
                raise forms.ValidationError(
                    _("Skriv datumen som ÅÅÅÅ-MM-DD, åtskilda med komma: %(value)s")
                    % {"value": part.strip()}
                ) from None
    return found


class PlanInterventionFields(forms.Form):
    """Who carries out a plan intervention and when: what adding and editing share
    (each adds its note last)."""

    responsible_unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(
        label=_("Ansvarig enhet"), queryset=None
    )
    responsible: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Ansvarig handläggare"), queryset=None, required=False
    )
    start_on = forms.DateField(label=_("Startdatum"), widget=DATE)
    end_on = forms.DateField(label=_("Slutdatum"), widget=DATE, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = units(user)
        self.fields["responsible"].queryset = staff(user)


class PlanInterventionForm(PlanInterventionFields):
    plan_version = VersionField()
    goal: forms.ModelChoiceField[PlanGoal] = forms.ModelChoiceField(label=_("Mål"), queryset=None)
    intervention: forms.ModelChoiceField[Intervention] = forms.ModelChoiceField(
        label=_("Insats"), queryset=None
    )
    follow_up_dates = forms.CharField(
        label=_("Uppföljningsdatum"),
        required=False,
        help_text=_("Ett eller flera datum (ÅÅÅÅ-MM-DD), åtskilda med komma. Hamnar i Att göra."),
    )
    note = forms.CharField(label=_("Anteckning"), required=False, widget=forms.Textarea)
    field_order = ["plan_version", "goal", "intervention"]  # then the shared fields

    def __init__(self, *args, user, goals, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["goal"].queryset = goals
        self.fields["intervention"].queryset = catalogue(user)

    def clean_follow_up_dates(self):
        return parse_dates(self.cleaned_data.get("follow_up_dates"))


class PlanInterventionEditForm(PlanInterventionFields, VersionForm):
    note = forms.CharField(label=_("Anteckning"), required=False, widget=forms.Textarea)


class FollowUpForm(forms.Form):
    due_on = forms.DateField(label=_("Datum för uppföljning"), widget=DATE)


class OutcomeForm(VersionForm):
    outcome = forms.ChoiceField(label=_("Resultat"), choices=CHOOSE + Outcome.choices)
    outcome_on = forms.DateField(label=_("Uppföljt"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("Anteckning"), required=False, widget=forms.Textarea)


# Referrals ----------------------------------------------------------------------------


class ReferralForm(forms.Form):
    person = forms.ChoiceField(label=_("Gäller"))
    intervention: forms.ModelChoiceField[Intervention] = forms.ModelChoiceField(
        label=_("Insats"),
        queryset=None,
        required=False,
        help_text=_("Med en insats ur katalogen fylls utföraren i om den inte anges."),
    )
    to_unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(
        label=_("Till enhet"), queryset=None, required=False
    )
    external_provider = forms.CharField(
        label=_("eller till extern utförare"), max_length=200, required=False
    )
    external_contact = forms.CharField(
        label=_("Kontaktuppgifter till extern utförare"), max_length=300, required=False
    )
    reason = forms.CharField(label=_("Anledning och önskat stöd"), widget=forms.Textarea)

    def __init__(self, *args, user, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.person_id): m.person for m in members}
        self.fields["person"].choices = CHOOSE + [
            (str(m.person_id), f"{m.person} ({m.get_role_display()})") for m in members
        ]
        self.fields["intervention"].queryset = catalogue(user)
        self.fields["to_unit"].queryset = units(user)

    def clean_person(self):
        return self.members[self.cleaned_data["person"]]


class ReferralStepForm(StatusStepForm):
    statuses = ReferralStatus
    on = forms.DateField(label=_("Datum"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när remissen avböjs."),
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, row=referral, **kwargs)


# Placement ----------------------------------------------------------------------------


class PlacementForm(forms.Form):
    child = forms.ChoiceField(label=_("Barn"))
    kind = forms.ChoiceField(label=_("Placeringsform"), choices=CHOOSE + PlacementKind.choices)
    place = forms.CharField(label=_("Placeringsställe"), max_length=200, required=False)
    responsible_unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(
        label=_("Ansvarig enhet"), queryset=None
    )
    start_on = forms.DateField(label=_("Startdatum"), widget=DATE)
    end_on = forms.DateField(label=_("Slutdatum"), widget=DATE, required=False)
    note = forms.CharField(label=_("Anteckning"), required=False, widget=forms.Textarea)

    def __init__(self, *args, user, members, **kwargs):
        super().__init__(*args, **kwargs)
        children = [m for m in members if m.role == FamilyRole.CHILD]
        self.children = {str(m.person_id): m.person for m in children}
        self.fields["child"].choices = CHOOSE + [(k, str(p)) for k, p in self.children.items()]
        self.fields["responsible_unit"].queryset = units(user)

    def clean_child(self):
        return self.children[self.cleaned_data["child"]]


class PlacementEndForm(VersionForm):
    end_on = forms.DateField(label=_("Slutdatum"), widget=DATE)


class ContactPlanForm(forms.Form):
    parent = forms.ChoiceField(label=_("Förälder"))
    frequency = forms.CharField(
        label=_("Omfattning"),
        max_length=200,
        help_text=_("T.ex. varannan helg, en timme i veckan."),
    )
    arrangement = forms.CharField(
        label=_("Former"), max_length=300, required=False, help_text=_("T.ex. med umgängesstöd.")
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        parents = [m for m in members if m.role in PARENT_ROLES]
        self.parents = {str(m.person_id): m.person for m in parents}
        self.fields["parent"].choices = CHOOSE + [(k, str(p)) for k, p in self.parents.items()]

    def clean_parent(self):
        return self.parents[self.cleaned_data["parent"]]


class ContactEventForm(forms.Form):
    on = forms.DateField(label=_("Datum"), widget=DATE, initial=timezone.localdate)
    status = forms.ChoiceField(label=_("Utfall"), choices=CHOOSE + ContactStatus.choices)
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
