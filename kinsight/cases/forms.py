from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.cases.models import CaseStatus, LegalReference
from kinsight.cases.queries import legal_references
from kinsight.cases.services import assignable_staff
from kinsight.core.forms import StatusStepForm, VersionField
from kinsight.core.models import OrgUnit, User
from kinsight.people.forms import DATE, work_units
from kinsight.people.identifiers import IdentifierKind
from kinsight.people.queries import LOOKUP_KINDS
from kinsight.ui.notes import SignedNoteForm


class CaseOpenForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=OrgUnit.objects.none())
    subject = forms.CharField(
        label=_("Ärendemening"), max_length=200, help_text=_("Kort: vad ärendet gäller.")
    )
    legal_basis = forms.ModelChoiceField(
        label=_("Lagrum"), queryset=LegalReference.objects.none(), required=False
    )
    opened_on = forms.DateField(label=_("Inlett"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, user, unit_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = work_units(user)
        if unit_ids is not None:  # a person found by number: the units offered for them
            units = units.filter(pk__in=unit_ids)
        self.fields["unit"].queryset = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        self.fields["legal_basis"].queryset = legal_references()


class PersonLookupForm(forms.Form):
    """The whole number of a person another unit works with (step one of a new case)."""

    identifier_kind = forms.ChoiceField(
        label=_("Typ av nummer"),
        choices=[(kind.value, kind.label) for kind in LOOKUP_KINDS],
        initial=IdentifierKind.PERSONNUMMER,
    )
    identifier = forms.CharField(
        label=_("Hela numret"),
        max_length=20,
        help_text=_(
            "Personnummer eller samordningsnummer med 10 eller 12 siffror, eller "
            "reservnummer. Hela numret behövs: sökningen visar bara personer som din "
            "enhet redan arbetar med."
        ),
        error_messages={"required": _("Skriv personens hela nummer.")},
    )


class CaseEditForm(forms.Form):
    version = VersionField()
    subject = forms.CharField(label=_("Ärendemening"), max_length=200)
    legal_basis = forms.ModelChoiceField(
        label=_("Lagrum"), queryset=LegalReference.objects.none(), required=False
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["legal_basis"].queryset = legal_references()
        if not self.is_bound:
            self.initial.update(
                {
                    "version": case.version,
                    "subject": case.subject,
                    "legal_basis": case.legal_basis_id,
                }
            )

    def expected_version(self):
        return self.cleaned_data["version"]


class CaseStatusForm(StatusStepForm):
    statuses = CaseStatus
    status = forms.ChoiceField(label=_("Ny status"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, row=case, **kwargs)


class CaseAssignForm(forms.Form):
    version = VersionField()
    responsible = forms.ModelChoiceField(
        label=_("Ansvarig handläggare"), queryset=User.objects.none()
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = assignable_staff(case.unit)
        if not self.is_bound:
            self.initial.update({"version": case.version, "responsible": case.responsible_id})


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alla"))] + CaseStatus.choices, required=False
    )
    unassigned = forms.BooleanField(label=_("Bara utan ansvarig"), required=False)


class NoteForm(SignedNoteForm):
    text_help = _(
        "Sparas automatiskt medan du skriver. När du signerar låses anteckningen; "
        "fel rättas med en ny anteckning."
    )
