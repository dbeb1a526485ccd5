"""Forms of the support-group pages. Each puts in ``cleaned_data`` what its service
takes, so the views call the services through ``forms_flow.call_with``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.forms import VersionField, VersionForm
from kinsight.core.models import NodeKind, OrgUnit, Role, User
from kinsight.groups.models import AgeBand, Intake, Presence, Programme
from kinsight.groups.services.cycles import CHANGEABLE
from kinsight.people.forms import DATE
from kinsight.people.models import Sex
from kinsight.ui.notes import SignedNoteForm

TEXT = forms.Textarea(attrs={"rows": 3})


def _districts(user):
    return OrgUnit.objects.visible_to(user, "view").filter(kind=NodeKind.DISTRICT).order_by("name")


class CycleForm(forms.Form):
    """A new cycle (gruppomgång) of an active programme, as cycle_create takes it."""

    programme = forms.ModelChoiceField(label=_("Program"), queryset=Programme.objects.none())
    name = forms.CharField(
        label=_("Benämning"), max_length=200, help_text=_("T.ex. Vågen våren 2027.")
    )
    district = forms.ModelChoiceField(
        label=_("Stadsdel eller område"), queryset=OrgUnit.objects.none()
    )
    venue = forms.CharField(label=_("Lokal"), max_length=200, required=False)
    places = forms.IntegerField(label=_("Platser"), min_value=1, max_value=100, initial=8)
    is_public = forms.BooleanField(
        label=_("Visa i den öppna grupplistan"),
        required=False,
        help_text=_("Om kommunen har listan påslagen: lediga platser och en intresseanmälan."),
    )
    start_on = forms.DateField(label=_("Startdatum"), widget=DATE)
    end_on = forms.DateField(label=_("Slutdatum"), widget=DATE, required=False)
    leaders = forms.ModelMultipleChoiceField(
        label=_("Gruppledare"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.visible_to(user, "view").filter(
            is_active=True
        )
        self.fields["district"].queryset = _districts(user)
        self.fields["leaders"].queryset = (
            User.objects.visible_to(user, "view")
            .filter(is_active=True, memberships__role=Role.GROUP_LEADER)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["leaders"].label_from_instance = lambda u: u.get_full_name() or u.username


class CycleEditForm(CycleForm):
    """A cycle changed (cycle_update): its programme and district stay; starts from
    the cycle as stored and its version."""

    version = VersionField()

    def __init__(self, *args, user, cycle, **kwargs):
        initial = {name: getattr(cycle, name) for name in CHANGEABLE}
        initial |= {"leaders": list(cycle.leaders.all()), "version": cycle.version}
        super().__init__(*args, user=user, initial=initial, **kwargs)
        del self.fields["programme"], self.fields["district"]


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Datum"), widget=DATE)
    theme = forms.CharField(label=_("Tema"), max_length=200, required=False)


class ParticipantForm(forms.Form):
    """An anonymous participant on the waiting list: age band, sex, district, the way
    in and the consent to measurement. (Intake by referral needs the referral, which
    names a person: not for an anonymous participant.)"""

    age_band = forms.ChoiceField(label=_("Ålder"), choices=AgeBand.choices)
    sex = forms.ChoiceField(
        label=_("Kön"), choices=[("", _("Vill inte ange")), *Sex.choices], required=False
    )
    district = forms.ModelChoiceField(
        label=_("Stadsdel eller område"), queryset=OrgUnit.objects.none(), required=False
    )
    intake = forms.ChoiceField(
        label=_("Väg in"),
        choices=[(Intake.DECISION, Intake.DECISION.label), (Intake.SELF, Intake.SELF.label)],
    )
    measurement_consent = forms.BooleanField(
        label=_("Samtycke till mätning"),
        required=False,
        help_text=_("Vårdnadshavarens för ett barn; deltagarens eget från 18 år."),
    )
    own_consent = forms.BooleanField(
        label=_("Barnets eget samtycke till mätning"),
        required=False,
        help_text=_("Krävs dessutom från den ålder kommunens inställning anger (annars 15 år)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _districts(user)


class ParticipantStepForm(VersionForm):
    """Start, finish: the day it happened (today unless said)."""

    on = forms.DateField(label=_("Datum"), widget=DATE, initial=timezone.localdate)


class ConsentForm(VersionForm):
    """The participant's consents to measurement as they stand now."""

    measurement_consent = ParticipantForm.base_fields["measurement_consent"]
    own_consent = ParticipantForm.base_fields["own_consent"]


class ParticipantDropForm(ParticipantStepForm):
    reason = forms.CharField(label=_("Orsak till avbrott"), max_length=300, widget=TEXT)


class AttendanceForm(forms.Form):
    """One radio group per participant of the session; ``presence`` as
    attendance_record takes it: {participant id: present/absent/excused}."""

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = participants
        for participant in participants:
            self.fields[f"p{participant.pk}"] = forms.ChoiceField(
                label=str(participant), choices=Presence.choices, widget=forms.RadioSelect
            )

    def clean(self):
        data = super().clean()
        data["presence"] = {
            p.pk: data[f"p{p.pk}"] for p in self.participants if data.get(f"p{p.pk}")
        }
        return data


class AnswersForm(forms.Form):
    """One radio group per item of the instrument (the options' scores as values);
    ``answers`` as the measurement services take them. Which items are missing or wrong
    is said by the service (assessment's instrument_score), in one message."""

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_names = []
        for item in instrument.items.all():
            name = f"item_{item.number}"
            self.item_names.append(name)
            self.fields[name] = forms.ChoiceField(
                label=item.text or item.label,
                choices=[(o.score, o.label) for o in item.options.all()],
                widget=forms.RadioSelect,
                required=False,
            )

    def clean(self):
        data = super().clean()
        data["answers"] = {
            name.removeprefix("item_"): data[name] for name in self.item_names if data.get(name)
        }
        return data


class MeasurementForm(AnswersForm):
    """A leader enters the answers given on paper or read aloud, and the day."""

    answered_on = forms.DateField(
        label=_("Datum för svaren"), widget=DATE, initial=timezone.localdate
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Svarskod"),
        max_length=20,
        help_text=_("Koden du fick av gruppledaren, t.ex. ABCD-2345."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class CycleNoteForm(SignedNoteForm):
    text_label = _("Anteckning om gruppomgången")
    text_help = _(
        "Hur gruppen fungerar och vad som behöver ändras. Skriv inte mer om en deltagare "
        "än gruppens ledare får läsa. Sparas automatiskt medan du skriver; när du "
        "signerar låses anteckningen och fel rättas med en ny."
    )
