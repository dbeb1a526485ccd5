"""Forms of the groups' catalogue (providers, grants, programmes, the measurement plan,
the leader register) and of the reports (effect, reach). The choices are the user's
own municipality's rows, read through visible_to."""

from __future__ import annotations

import functools

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.assessment.models import Instrument, InstrumentItem
from kinsight.core.forms import VersionedForm
from kinsight.core.models import NodeKind, OrgUnit, User
from kinsight.groups.models import Cycle, Point, Programme, ProgrammeMeasure, Provider
from kinsight.groups.services import PROGRAMME_FIELDS, PROVIDER_FIELDS
from kinsight.people.forms import DATE

FIRST_YEAR, LAST_YEAR = 2000, 2100


def districts(user: User):
    return OrgUnit.objects.visible_to(user, "view").filter(kind=NodeKind.DISTRICT, is_active=True)


def programmes(user: User):
    return Programme.objects.visible_to(user, "view")


def providers(user: User):
    return Provider.objects.visible_to(user, "view")


def plan_instruments(user: User):
    """Instruments that some programme's measurement plan names."""
    planned = ProgrammeMeasure.objects.visible_to(user, "view").values("instrument_id")
    return Instrument.objects.visible_to(user, "view").filter(pk__in=planned).order_by("name")


def subscales(user: User) -> list[str]:
    """The subscales of the instruments measurement plans name (instruments as data)."""
    items = InstrumentItem.objects.filter(instrument__in=plan_instruments(user))
    names = items.exclude(subscale="").values_list("subscale", flat=True)
    return sorted(set(names))


class ProviderForm(VersionedForm):
    class Meta:
        model = Provider
        fields = PROVIDER_FIELDS
        widgets = {"agreement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user, "view").filter(
            is_active=True
        )


class GrantForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    amount = forms.IntegerField(label=_("Belopp (kr)"), min_value=0, max_value=2_000_000_000)
    note = forms.CharField(label=_("Anteckning"), max_length=300, required=False)


class ProgrammeForm(VersionedForm):
    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers(user).filter(is_active=True)


class MeasureForm(forms.Form):
    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=Instrument.objects.none())
    point = forms.ChoiceField(label=_("Tidpunkt"), choices=Point.choices)
    months_after_end = forms.IntegerField(
        label=_("Månader efter avslut"),
        required=False,
        min_value=1,
        max_value=60,
        help_text=_("Bara för uppföljning."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = (
            Instrument.objects.visible_to(user, "view").active().order_by("name")
        )


class LeaderTrainingForm(forms.Form):
    leader = forms.ModelChoiceField(label=_("Gruppledare"), queryset=User.objects.none())
    district = forms.ModelChoiceField(
        label=_("Stadsdel eller område"), queryset=OrgUnit.objects.none()
    )
    programme = forms.ModelChoiceField(
        label=_("Program"), queryset=Programme.objects.none(), required=False
    )
    training = forms.CharField(label=_("Utbildning"), max_length=200)
    trained_on = forms.DateField(label=_("Utbildad"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = (
            User.objects.visible_to(user, "view")
            .filter(is_active=True)
            .order_by("last_name", "first_name")
        )
        self.fields["district"].queryset = districts(user)
        self.fields["programme"].queryset = programmes(user).filter(is_active=True)


class EffectForm(forms.Form):
    """The effect report's choices, sent as GET so the address is a bookmark."""

    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=Instrument.objects.none())
    tidpunkt = forms.ChoiceField(
        label=_("Jämför före med"),
        choices=[(Point.AFTER, _("Efter")), (Point.FOLLOW_UP, _("Uppföljning"))],
        initial=Point.AFTER,
        required=False,
    )
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Programme.objects.none(), required=False
    )
    utforare = forms.ModelChoiceField(
        label=_("Utförare"), queryset=Provider.objects.none(), required=False
    )
    ar = forms.IntegerField(
        label=_("År (gruppomgången startade)"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )
    omgang = forms.ModelChoiceField(
        label=_("Gruppomgång"), queryset=Cycle.objects.none(), required=False
    )
    delskala = forms.ChoiceField(
        label=_("Delskala"),
        required=False,
        help_text=_("Summan av delskalans frågor i stället för hela instrumentets."),
    )

    def __init__(self, *args, user, cycles, whole, **kwargs):
        """``cycles``: the cycles the user may choose; ``whole``: whether they may read
        the municipality's report (else only a cycle, and the other scopes go)."""
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = plan_instruments(user)
        self.fields["omgang"].queryset = cycles
        # Read once, when first needed (validated, then shown).
        self.fields["delskala"].choices = functools.cache(
            lambda: [("", _("Hela instrumentet")), *((name, name) for name in subscales(user))]
        )
        if whole:
            self.fields["program"].queryset = programmes(user)
            self.fields["utforare"].queryset = providers(user)
        else:
            for name in ("program", "utforare", "ar"):
                del self.fields[name]
            self.fields["omgang"].required = True
            self.fields["omgang"].error_messages["required"] = _("Välj en av dina gruppomgångar.")

    def clean_tidpunkt(self):
        # An address with only the instrument compares before with after, as the form does.
        return self.cleaned_data["tidpunkt"] or Point.AFTER


class ReachForm(forms.Form):
    ar = forms.IntegerField(label=_("År"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ar"].initial = timezone.localdate().year
