from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.forms import StatusStepForm, VersionField
from kinsight.core.models import OrgUnit
from kinsight.detection.models import (
    EXTERNAL_CATEGORIES,
    Answer,
    ChildInformation,
    ChildStatus,
    Custody,
    FlagKind,
    InvestigationOutcome,
    LivesWith,
    PreAssessmentDecision,
)
from kinsight.detection.queries import receiving_units
from kinsight.people.forms import DATE, work_units

CHOOSE = [("", _("Välj …"))]


class ChildQuestionForm(forms.Form):
    version = VersionField()
    has_children = forms.ChoiceField(
        label=_("Har personen barn under 18 år?"), choices=CHOOSE + Answer.choices
    )
    unknown_reason = forms.CharField(
        label=_("Om okänt: varför?"),
        required=False,
        max_length=300,
        help_text=_(
            "T.ex. att personen inte ville svara. Frågan kommer tillbaka tills svaret är känt."
        ),
    )
    expecting_child = forms.ChoiceField(
        label=_("Väntar personen (eller partnern) barn?"), choices=CHOOSE + Answer.choices
    )


class ChildRecordForm(forms.Form):
    identifier = forms.CharField(
        label=_("Barnets personnummer"),
        required=False,
        max_length=20,
        help_text=_("Om det är känt. Annars förnamn och ålder."),
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=100, required=False)
    last_name = forms.CharField(
        label=_("Efternamn"),
        max_length=100,
        required=False,
        help_text=_("Bara med personnummer; tomt ger förälderns efternamn."),
    )
    age = forms.IntegerField(
        label=_("Ålder (år)"),
        required=False,
        min_value=0,
        max_value=130,
        help_text=_("När personnummer inte är känt. En uppskattning räcker."),
    )
    custody = forms.ChoiceField(
        label=_("Vårdnad"), choices=Custody.choices, initial=Custody.UNKNOWN
    )
    lives_with = forms.ChoiceField(
        label=_("Bor barnet hos föräldern?"), choices=LivesWith.choices, initial=LivesWith.UNKNOWN
    )
    other_carers = forms.CharField(
        label=_("Vilka andra tar hand om barnet?"),
        required=False,
        max_length=300,
        help_text=_("T.ex. den andra föräldern, mor- eller farföräldrar, familjehem."),
    )


class ChildRecordEditForm(forms.Form):
    version = VersionField()
    custody = forms.ChoiceField(label=_("Vårdnad"), choices=Custody.choices)
    lives_with = forms.ChoiceField(label=_("Bor barnet hos föräldern?"), choices=LivesWith.choices)
    other_carers = forms.CharField(
        label=_("Vilka andra tar hand om barnet?"), required=False, max_length=300
    )


class StepForm(StatusStepForm):
    statuses = ChildStatus
    on = forms.DateField(label=_("Datum"), widget=DATE, initial=timezone.localdate)
    parent_talked_with = forms.BooleanField(
        label=_("Jag har pratat med föräldern om barnets situation"), required=False
    )
    child_information = forms.ChoiceField(
        label=_("Information till barnet"),
        choices=[("", _("Inte ännu"))] + ChildInformation.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Uppmärksammat kräver både samtalet med föräldern och information till barnet "
            "(eller ej tillämpligt, med skäl)."
        ),
    )
    child_information_reason = forms.CharField(
        label=_("Om ej tillämpligt: varför?"),
        required=False,
        max_length=300,
        help_text=_("T.ex. att barnet är nyfött eller inte fött än."),
    )
    note = forms.CharField(label=_("Kort anteckning"), required=False, max_length=500)

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, row=record, **kwargs)


class ExpectedChildForm(forms.Form):
    expected_month = forms.DateField(
        label=_("Beräknad månad"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("Månaden barnet väntas, t.ex. 2027-03."),
    )
    custody = forms.ChoiceField(
        label=_("Vårdnad"), choices=Custody.choices, initial=Custody.UNKNOWN
    )
    lives_with = forms.ChoiceField(
        label=_("Kommer barnet att bo hos föräldern?"),
        choices=LivesWith.choices,
        initial=LivesWith.UNKNOWN,
    )


class BornForm(forms.Form):
    version = VersionField()
    first_name = forms.CharField(label=_("Barnets förnamn"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Födelsedatum"), widget=DATE, required=False)


class FeedbackForm(forms.Form):
    version = VersionField()
    given_on = forms.DateField(
        label=_("Återkoppling given"), widget=DATE, initial=timezone.localdate
    )


class FlagForm(forms.Form):
    kind = forms.ChoiceField(label=_("Markering"), choices=CHOOSE + FlagKind.choices)
    noted_on = forms.DateField(label=_("Från"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("Kort anteckning"), required=False, max_length=300)


class FlagEndForm(forms.Form):
    version = VersionField()
    ended_on = forms.DateField(label=_("Till"), widget=DATE, initial=timezone.localdate)


class InternalReportForm(forms.Form):
    receiving_unit = forms.ModelChoiceField(label=_("Till enhet"), queryset=OrgUnit.objects.none())
    concern = forms.CharField(
        label=_("Vad är du orolig för?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Föreslagen text från barnets uppgifter: ändra eller lägg till."),
    )
    feedback_requested = forms.BooleanField(
        label=_("Jag vill ha återkoppling om att utredning inleds eller inte"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = receiving_units(user.municipality_id)
        self.fields["receiving_unit"].queryset = units
        if len(units) == 1 and not self.is_bound:
            self.initial["receiving_unit"] = units[0].pk


class ExternalReportForm(forms.Form):
    receiving_unit = forms.ModelChoiceField(
        label=_("Mottagande enhet"), queryset=OrgUnit.objects.none()
    )
    received_on = forms.DateField(
        label=_("Anmälan kom in"), widget=DATE, initial=timezone.localdate
    )
    reporter_category = forms.ChoiceField(
        label=_("Anmälare"),
        choices=CHOOSE + [(c.value, c.label) for c in EXTERNAL_CATEGORIES],
        required=False,
    )
    reporter_name = forms.CharField(
        label=_("Anmälarens namn"),
        required=False,
        max_length=200,
        help_text=_("Inte vid anonym anmälan."),
    )
    reporter_contact = forms.CharField(
        label=_("Anmälarens kontaktuppgifter"), required=False, max_length=200
    )
    child_name = forms.CharField(label=_("Barnets namn"), max_length=200, required=False)
    child_age = forms.IntegerField(
        label=_("Barnets ålder (år)"), required=False, min_value=0, max_value=130
    )
    concern = forms.CharField(
        label=_("Vad anmälan gäller"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    feedback_requested = forms.BooleanField(
        label=_("Anmälaren vill ha återkoppling"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = work_units(user).filter(pk__in=receiving_units(user.municipality_id).values("pk"))
        self.fields["receiving_unit"].queryset = units
        if len(units) == 1 and not self.is_bound:
            self.initial["receiving_unit"] = units[0].pk


class PreAssessmentForm(forms.Form):
    version = VersionField()
    decision = forms.ChoiceField(
        label=_("Beslut efter förhandsbedömning"), choices=CHOOSE + PreAssessmentDecision.choices
    )
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Motivering"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvestigationForm(forms.Form):
    version = VersionField()
    outcome = forms.ChoiceField(
        label=_("Utredningens resultat"), choices=CHOOSE + InvestigationOutcome.choices
    )
    completed_on = forms.DateField(
        label=_("Utredningen avslutad"), widget=DATE, initial=timezone.localdate
    )
    note = forms.CharField(
        label=_("Motivering"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
