import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.forms import VersionField
from kinsight.core.models import OrgUnit
from kinsight.people.access import WORK_ROLES
from kinsight.people.identifiers import IdentifierKind
from kinsight.people.models import Sex

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Namn, personnummer, samordningsnummer eller reservnummer"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Del av namn räcker. Stora och små bokstäver och accenter spelar ingen roll."),
    )


def work_units(user):
    return OrgUnit.objects.filter(
        municipality_id=user.municipality_id,
        pk__in=user.units_with_role(*WORK_ROLES),
        kind="unit",
        is_active=True,
    ).order_by("name")


class PersonFieldsMixin(forms.Form):
    identifier_kind = forms.ChoiceField(
        label=_("Typ av identitet"), choices=IdentifierKind.choices, initial="personnummer"
    )
    identifier = forms.CharField(
        label=_("Nummer"),
        required=False,
        max_length=20,
        help_text=_(
            "Personnummer eller samordningsnummer: 10 eller 12 siffror, med eller utan "
            "bindestreck (+ för den som fyllt 100). Reservnummer: enligt kommunens format."
        ),
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100, required=False)
    approximate_age = forms.IntegerField(
        label=_("Ungefärlig ålder (år)"),
        required=False,
        min_value=0,
        max_value=130,
        help_text=_("Bara när nummer saknas."),
    )
    sex = forms.ChoiceField(
        label=_("Kön"), choices=[("", _("Okänt / anges inte"))] + Sex.choices, required=False
    )
    protected_identity = forms.BooleanField(label=_("Skyddade personuppgifter"), required=False)
    street_address = forms.CharField(label=_("Gatuadress"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postnummer"), max_length=10, required=False)
    city = forms.CharField(label=_("Ort"), max_length=100, required=False)

    def person_data(self):
        data = self.cleaned_data
        age = data.get("approximate_age")
        return {
            "identifier_kind": data["identifier_kind"],
            "identifier": data.get("identifier", ""),
            "first_name": data["first_name"],
            "last_name": data.get("last_name", ""),
            "sex": data.get("sex", ""),
            "approximate_birth_year": (timezone.localdate().year - age)
            if age is not None
            else None,
            "protected_identity": data.get("protected_identity", False),
            "street_address": data.get("street_address", ""),
            "postal_code": data.get("postal_code", ""),
            "city": data.get("city", ""),
        }


class PersonRegisterForm(PersonFieldsMixin):
    unit = forms.ModelChoiceField(
        label=_("Enhet som arbetar med personen"), queryset=OrgUnit.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = work_units(user)
        self.fields["unit"].queryset = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
            self.fields["unit"].widget = forms.HiddenInput()
        self.order_fields(["unit"])


ADDRESS_FIELDS = ("street_address", "postal_code", "city")


class PersonEditForm(PersonFieldsMixin):
    version = VersionField()
    deceased_on = forms.DateField(label=_("Avliden (datum)"), required=False, widget=DATE)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        # A protected person's address is never shown: a change is entered blind.
        self.address_hidden = person.protected_identity
        if self.address_hidden:
            for name in ADDRESS_FIELDS:
                self.fields[name].help_text = _(
                    "Adressen visas inte för personer med skyddade personuppgifter. Fyll i "
                    "för att ändra den; lämna tomt för att behålla den."
                )
        if not self.is_bound:
            self.initial.update(
                {
                    "identifier_kind": person.identifier_kind,
                    "identifier": person.identifier_display,
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "approximate_age": person.age() if person.age_is_approximate else None,
                    "sex": person.sex,
                    "protected_identity": person.protected_identity,
                    **{
                        name: "" if self.address_hidden else getattr(person, name)
                        for name in ADDRESS_FIELDS
                    },
                    "deceased_on": person.deceased_on,
                    "version": person.version,
                }
            )
        self.person = person

    def person_data(self):
        data = super().person_data()
        data["deceased_on"] = self.cleaned_data.get("deceased_on")
        if self.cleaned_data.get("identifier", "") == self.person.identifier_display:
            data["identifier"] = self.person.identifier
        if self.address_hidden:
            for name in ADDRESS_FIELDS:
                if not data[name].strip():
                    del data[name]  # left empty: keep the stored value
        return data

    def clean(self):
        """``data``: the changed details, as person_update takes them."""
        data = super().clean()
        if not self.errors:
            data["data"] = self.person_data()
        return data


class FamilyRelation:
    CHILD = "child"
    PARENT = "parent"
    PARTNER = "partner"
    SIBLING = "sibling"
    HOUSEHOLD = "household"

    choices = [
        (CHILD, _("Barn till personen")),
        (PARENT, _("Förälder till personen")),
        (PARTNER, _("Partner")),
        (SIBLING, _("Syskon")),
        (HOUSEHOLD, _("Annan i hushållet")),
    ]


LIVING_CHOICES = [
    ("", _("Bor inte tillsammans / vet inte")),
    ("lives_with_full", _("Bor tillsammans heltid")),
    ("lives_with_part", _("Bor tillsammans deltid")),
    ("lives_with_alternating", _("Bor växelvis")),
]


class FamilyAddForm(PersonFieldsMixin):
    relation = forms.ChoiceField(label=_("Relation"), choices=FamilyRelation.choices)
    guardian = forms.BooleanField(
        label=_("Vårdnadshavare (gäller förälder och barn)"), required=False
    )
    living = forms.ChoiceField(
        label=_("Boende (gäller förälder och barn)"), choices=LIVING_CHOICES, required=False
    )
    valid_from = forms.DateField(
        label=_("Gäller från"), required=False, widget=DATE, help_text=_("Lämna tomt om okänt.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["relation", "guardian", "living", "valid_from"])
        self.fields["identifier"].help_text = _(
            "Finns personen redan och du får se den kopplas den befintliga personen."
        )

    def clean_valid_from(self):
        value = self.cleaned_data.get("valid_from")
        if value and value > datetime.date.today():
            raise forms.ValidationError(_("Startdatum kan inte ligga i framtiden."))
        return value


class RelationshipEndForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Slutdatum"), error_messages={"required": _("Ange slutdatum för relationen.")}
    )
    version = VersionField()
