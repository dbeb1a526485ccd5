from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.forms import VersionField
from kinsight.core.models import OrgUnit, User
from kinsight.family import access
from kinsight.family.models import (
    ChildView,
    ConsentForm,
    ConsentPurpose,
    FamilyMember,
    FamilyRole,
    Participant,
)
from kinsight.people.forms import DATE
from kinsight.people.models import Person
from kinsight.ui.notes import SignedNoteForm

if TYPE_CHECKING:
    from kinsight.cases.models import Case

TEXT = forms.Textarea(attrs={"rows": 4})


class StartForm(forms.Form):
    """Title and, per candidate person, the role in the family (blank: not included)."""

    title = forms.CharField(
        label=_("Benämning"),
        max_length=200,
        help_text=_(
            "Syns för alla deltagande enheter, även utan samtycke: skriv inga namn "
            "eller andra personuppgifter."
        ),
    )
    started_on = forms.DateField(label=_("Startdatum"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        choices = [("", _("Ingår inte"))] + list(FamilyRole.choices)
        for person, role in candidates:
            name = f"member_{person.pk}"
            self.fields[name] = forms.ChoiceField(
                label=_("%(name)s, %(age)s år") % {"name": person, "age": person.age()}
                if person.age() is not None
                else str(person),
                choices=choices,
                required=False,
                initial=role,
            )

    def clean(self):
        """``members``: the chosen persons with their roles, as family_work_start takes them."""
        data = super().clean()
        data["members"] = [
            (person, data[f"member_{person.pk}"])
            for person, _role in self.candidates
            if data.get(f"member_{person.pk}")
        ]
        return data


def _participant_units(family_work):
    return OrgUnit.objects.filter(
        pk__in=Participant.objects.filter(family_work=family_work, left_on__isnull=True).values(
            "unit_id"
        )
    ).order_by("name")


def _member_persons(family_work, user):
    """The current family members the user may see (names need their consent), as
    persons by name: whom a consent is about, who takes part in a meeting."""
    visible = FamilyMember.objects.visible_to(user, "view").filter(
        family_work=family_work, ended_on__isnull=True
    )
    return Person.objects.filter(pk__in=visible.values("person_id")).order_by(
        "last_name", "first_name"
    )


def _participant_staff(family_work):
    from kinsight.core.models import Membership

    units = Participant.objects.filter(family_work=family_work, left_on__isnull=True).values(
        "unit_id"
    )
    users = Membership.objects.current().filter(unit_id__in=units, role__in=access.WORK_ROLES)
    return User.objects.filter(pk__in=users.values("user_id"), is_active=True).order_by(
        "last_name", "first_name"
    )


class ParticipantForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=OrgUnit.objects.none())
    worker = forms.ModelChoiceField(
        label=_("Kontaktperson"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("En handläggare i enheten. Kan lämnas tom och fyllas i av enheten."),
    )

    def __init__(self, *args, family_work, user, **kwargs):
        super().__init__(*args, **kwargs)
        current = Participant.objects.filter(family_work=family_work, left_on__isnull=True).values(
            "unit_id"
        )
        self.fields["unit"].queryset = (
            OrgUnit.objects.filter(
                municipality_id=user.municipality_id, kind="unit", is_active=True
            )
            .exclude(pk__in=current)
            .order_by("name")
        )
        self.fields["worker"].queryset = User.objects.filter(
            municipality_id=user.municipality_id, is_active=True
        ).order_by("last_name", "first_name")


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Roll i familjen"), choices=FamilyRole.choices)

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons


class LinkCaseForm(forms.Form):
    case: forms.ModelChoiceField[Case] = forms.ModelChoiceField(label=_("Ärende"), queryset=None)

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda c: f"{c.person} – {c.subject} ({c.unit})"


class ConsentRecordForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Samtycket gäller"), queryset=Person.objects.none())
    purpose = forms.ChoiceField(
        label=_("Ändamål"), choices=ConsentPurpose.choices, initial=ConsentPurpose.SHARING
    )
    all_units = forms.BooleanField(
        label=_("Alla deltagande enheter (även de som ansluter senare)"), required=False
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Enheter som får ta del"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    form = forms.ChoiceField(label=_("Form"), choices=ConsentForm.choices)
    given_on = forms.DateField(
        label=_("Lämnat"), widget=DATE, initial=timezone.localdate, required=False
    )
    valid_from = forms.DateField(
        label=_("Gäller från"), widget=DATE, initial=timezone.localdate, required=False
    )
    valid_to = forms.DateField(
        label=_("Gäller till"),
        widget=DATE,
        required=False,
        help_text=_("Tomt: tills vidare eller tills samtycket återkallas."),
    )
    given_by = forms.ModelChoiceField(
        label=_("Lämnat av vårdnadshavare"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Bara för barn: vårdnadshavaren som lämnade samtycket."),
    )
    child_view = forms.ChoiceField(
        label=_("Barnets egen uppfattning"),
        choices=[("", "–")] + list(ChildView.choices),
        required=False,
    )
    child_view_text = forms.CharField(label=_("Barnets egna ord"), widget=TEXT, required=False)
    note = forms.CharField(label=_("Anteckning"), widget=TEXT, required=False)

    def __init__(self, *args, family_work, user, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        persons = _member_persons(family_work, user)
        self.fields["person"].queryset = persons
        self.fields["given_by"].queryset = persons
        self.fields["units"].queryset = _participant_units(family_work)
        self.fields["child_view"].help_text = _("Registreras från %(age)s års ålder.") % {
            "age": settings.KINSIGHT_CHILD_VIEW_AGE
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=300,
        help_text=_("T.ex. personens egna ord. Delningen upphör direkt."),
    )
    withdrawn_on = forms.DateField(
        label=_("Återkallat"), widget=DATE, initial=timezone.localdate, required=False
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Datum"), widget=DATE, initial=timezone.localdate)
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    agenda = forms.CharField(label=_("Dagordning"), widget=TEXT, required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("Familjemedlemmar som deltar"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Personal som deltar"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    externals = forms.CharField(
        label=_("Externa deltagare"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("En per rad, t.ex. Skolkurator, Norrskolan."),
    )

    def __init__(self, *args, family_work, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = _member_persons(family_work, user)
        self.fields["staff"].queryset = _participant_staff(family_work)

    def clean_externals(self):
        """The external participants, one a line, as meeting_create takes them."""
        return [line for line in self.cleaned_data["externals"].splitlines() if line.strip()]


class MinutesForm(SignedNoteForm):
    text_label = _("Protokoll")
    text_help = _(
        "Sparas automatiskt medan du skriver. När du signerar låses protokollet; fel rättas "
        "med ett nytt protokoll."
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Uppgift"), max_length=200)
    decision = forms.CharField(label=_("Beslut"), widget=TEXT, required=False)
    due_on = forms.DateField(label=_("Klart senast"), widget=DATE)
    responsible_unit = forms.ModelChoiceField(
        label=_("Ansvarig enhet"), queryset=OrgUnit.objects.none()
    )
    responsible = forms.ModelChoiceField(
        label=_("Ansvarig"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, family_work, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = _participant_units(family_work)
        self.fields["responsible"].queryset = _participant_staff(family_work)


class TaskDoneForm(forms.Form):
    version = VersionField()
    outcome = forms.CharField(label=_("Resultat"), widget=TEXT, required=False)
