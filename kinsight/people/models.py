"""Persons (klienter and their family members) and the relationships between them.

A Person is anyone the social services work with or around: identified by
personnummer, samordningsnummer or a local reserve number, or not yet identified (a
child known by first name and age is still a child to attend to). Who may see whom is
decided in PersonQuerySet (see docs/permissions.md and kinsight/people/access.py).
"""

import datetime
import unicodedata
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.people.access import PersonQuerySet, RelationshipQuerySet
from kinsight.people.identifiers import IdentifierKind, format_identifier

# Letters that Unicode does not decompose into a base letter and a mark.
_FOLD_EXTRA = str.maketrans({"ø": "o", "æ": "ae", "ð": "d", "þ": "th", "ł": "l", "đ": "d"})


def normalise_name(text):
    """Case- and accent-insensitive search form: "Åsa Öberg-Élise" → "asa oberg-elise".

    å/ä/ö fold to a/a/o as well, so a search typed on a keyboard without them still
    finds the person; a search with them finds the same rows."""
    folded = unicodedata.normalize("NFKD", (text or "").casefold())
    stripped = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(stripped.translate(_FOLD_EXTRA).split())


class Sex(models.TextChoices):
    FEMALE = "female", _("Kvinna")
    MALE = "male", _("Man")
    OTHER = "other", _("Annat")


class Person(TenantModel, Versioned):
    identifier_kind = fields.choice(
        _("typ av identitet"), IdentifierKind, default=IdentifierKind.PERSONNUMMER
    )
    identifier = models.CharField(
        _("nummer"),
        max_length=20,
        blank=True,
        help_text=_("Personnummer och samordningsnummer lagras med 12 siffror."),
    )
    birth_date = fields.optional_date(_("födelsedatum"))
    approximate_birth_year = models.PositiveSmallIntegerField(
        _("ungefärligt födelseår"), null=True, blank=True
    )
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100, blank=True)
    sex = fields.choice(_("kön"), Sex, max_length=10, blank=True)
    deceased_on = fields.optional_date(_("avliden"))
    protected_identity = models.BooleanField(
        _("skyddade personuppgifter"),
        default=False,
        help_text=_(
            "Sekretessmarkering eller skyddad folkbokföring: adressen visas aldrig och "
            "bara den som har ett ärende för personen ser personen."
        ),
    )
    street_address = models.CharField(_("gatuadress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    is_synthetic = models.BooleanField(
        _("påhittad"), default=False, help_text=_("Genererad testdata, ingen verklig person.")
    )
    # Gives the registering unit access before a case exists (an explicit assignment).
    registered_unit = fields.unit(
        _("registrerad av enhet"), optional=True, on_delete=models.SET_NULL
    )
    registered_by = fields.staff(_("registrerad av"), optional=True, on_delete=models.SET_NULL)
    search_name = models.CharField(max_length=201, editable=False, db_index=False)
    created_at = models.DateTimeField(_("registrerad"), default=timezone.now, editable=False)

    objects: ClassVar = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "identifier"],
                condition=~models.Q(identifier=""),
                name="person_unique_identifier",
            ),
            models.CheckConstraint(
                condition=models.Q(identifier_kind="none", identifier="")
                | (~models.Q(identifier_kind="none") & ~models.Q(identifier="")),
                name="person_identifier_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "search_name"], name="person_search_name"),
            # The unique constraint is partial (numbers only); lookups need a plain index.
            models.Index(fields=["municipality", "identifier"], name="person_identifier"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = normalise_name(f"{self.first_name} {self.last_name}")
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def identifier_display(self):
        return format_identifier(self.identifier_kind, self.identifier)

    def age(self, on=None):
        """Whole years on ``on`` (today); from the approximate birth year if no date."""
        on = on or timezone.localdate()
        if self.deceased_on and self.deceased_on < on:
            on = self.deceased_on
        if self.birth_date:
            b = self.birth_date
            return on.year - b.year - ((on.month, on.day) < (b.month, b.day))
        if self.approximate_birth_year:
            return on.year - self.approximate_birth_year
        return None

    @property
    def age_is_approximate(self):
        return self.birth_date is None and self.approximate_birth_year is not None

    @property
    def is_child(self):
        age = self.age()
        return age is not None and age < 18

    @property
    def is_deceased(self):
        return self.deceased_on is not None and self.deceased_on <= datetime.date.today()


class RelationKind(models.TextChoices):
    """Read as: ``from_person`` is <kind> of/with ``to_person``."""

    PARENT = "parent", _("Förälder till")
    GUARDIAN = "guardian", _("Vårdnadshavare för")
    LIVES_WITH_FULL = "lives_with_full", _("Bor heltid hos")
    LIVES_WITH_PART = "lives_with_part", _("Bor deltid hos")
    LIVES_WITH_ALTERNATING = "lives_with_alternating", _("Bor växelvis hos")
    SIBLING = "sibling", _("Syskon till")
    PARTNER = "partner", _("Partner till")
    HOUSEHOLD = "household", _("Annan i hushållet hos")


LIVES_WITH_KINDS = {
    RelationKind.LIVES_WITH_FULL,
    RelationKind.LIVES_WITH_PART,
    RelationKind.LIVES_WITH_ALTERNATING,
}
SYMMETRIC_KINDS = {RelationKind.SIBLING, RelationKind.PARTNER, RelationKind.HOUSEHOLD}
# Relations that make a person part of the circle around a client for the child
# question (parent, child, household): siblings alone do not.
FAMILY_KINDS = {
    RelationKind.PARENT,
    RelationKind.GUARDIAN,
    RelationKind.PARTNER,
    RelationKind.HOUSEHOLD,
    *LIVES_WITH_KINDS,
}

# How the relation reads from the other end (to_person's view of from_person).
INVERSE_LABELS = {
    RelationKind.PARENT: _("Barn till"),
    RelationKind.GUARDIAN: _("Har som vårdnadshavare"),
    RelationKind.LIVES_WITH_FULL: _("Har boende heltid"),
    RelationKind.LIVES_WITH_PART: _("Har boende deltid"),
    RelationKind.LIVES_WITH_ALTERNATING: _("Har boende växelvis"),
    RelationKind.SIBLING: _("Syskon till"),
    RelationKind.PARTNER: _("Partner till"),
    RelationKind.HOUSEHOLD: _("Annan i hushållet hos"),
}
# The short word for the other person as seen from the person page, keyed by the kind
# and the end of the relationship the other person is at.
OTHER_ROLE_LABELS = {
    (RelationKind.PARENT, "from"): _("Förälder"),
    (RelationKind.PARENT, "to"): _("Barn"),
    (RelationKind.GUARDIAN, "from"): _("Vårdnadshavare"),
    (RelationKind.GUARDIAN, "to"): _("Under personens vårdnad"),
    (RelationKind.LIVES_WITH_FULL, "from"): _("Bor hos personen (heltid)"),
    (RelationKind.LIVES_WITH_FULL, "to"): _("Personen bor hos (heltid)"),
    (RelationKind.LIVES_WITH_PART, "from"): _("Bor hos personen (deltid)"),
    (RelationKind.LIVES_WITH_PART, "to"): _("Personen bor hos (deltid)"),
    (RelationKind.LIVES_WITH_ALTERNATING, "from"): _("Bor hos personen (växelvis)"),
    (RelationKind.LIVES_WITH_ALTERNATING, "to"): _("Personen bor hos (växelvis)"),
    (RelationKind.SIBLING, "from"): _("Syskon"),
    (RelationKind.SIBLING, "to"): _("Syskon"),
    (RelationKind.PARTNER, "from"): _("Partner"),
    (RelationKind.PARTNER, "to"): _("Partner"),
    (RelationKind.HOUSEHOLD, "from"): _("I hushållet"),
    (RelationKind.HOUSEHOLD, "to"): _("I hushållet"),
}


class Relationship(TenantModel, Versioned):
    from_person = fields.reference(
        Person, _("person"), on_delete=models.CASCADE, related_name="relations_from"
    )
    to_person = fields.reference(
        Person, _("relaterad person"), on_delete=models.CASCADE, related_name="relations_to"
    )
    kind = fields.choice(_("relation"), RelationKind, max_length=30)
    valid_from = fields.optional_date(_("från"))
    valid_to = fields.optional_date(_("till"))
    created_at = fields.created_at()

    objects: ClassVar = RelationshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relationer")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_person=models.F("to_person")),
                name="relationship_not_to_self",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="relationship_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "from_person", "kind"]),
            models.Index(fields=["municipality", "to_person", "kind"]),
        ]

    def __str__(self):
        return f"{self.from_person_id} {self.kind} {self.to_person_id}"

    def is_current(self, on=None):
        return fields.within(on or timezone.localdate(), self.valid_from, self.valid_to)


class GrantReason(models.TextChoices):
    CASE = "case", _("Ärende i enheten")
    REGISTERED = "registered", _("Registrerad av enheten")
    RELATED = "related", _("Anhörig till en person med ärende i enheten")
    # Written by kinsight/family/grants.py: they give sight of the person's part of one
    # family work (by the family rules, docs/permissions.md), never of the person.
    FAMILY_WORK = "family_work", _("Deltar i familjeärende med personen")
    CONSENT = "consent", _("Samtycke till informationsutbyte i familjeärende")


FULL_REASONS = (GrantReason.CASE, GrantReason.REGISTERED)
# The reasons that give sight of the person (in full, or limited as a relative).
PERSON_REASONS = (*FULL_REASONS, GrantReason.RELATED)
FAMILY_REASONS = (GrantReason.FAMILY_WORK, GrantReason.CONSENT)


class PersonGrant(TenantModel):
    """Who may see a person, and why: access kept as a relation (docs/permissions.md).

    Written by the services that create the reason, in the same transaction (a case
    opened, a person registered, a family relationship added; a removed relationship
    takes its grants with it). "May this unit see this person?" is then one indexed
    lookup instead of a set computed from every case and relationship of the unit.
    ``manage.py grants_check`` recomputes every grant from its sources and compares."""

    person = fields.reference(Person, on_delete=models.CASCADE, related_name="grants")
    # Indexed with the person by the covering index below (unit first).
    unit = fields.unit(None, on_delete=models.CASCADE, db_index=False)
    reason = fields.choice(_("skäl"), GrantReason)
    # The case that gives sight (reason "case"); an id, as cases sit above people.
    case_id = models.BigIntegerField(null=True, blank=True)
    # For reason "related": the family relationship, and the person at its other end
    # whom the unit sees in full. The relationship's end date ends the grant.
    relationship = fields.reference(Relationship, optional=True, on_delete=models.CASCADE)
    via_person = fields.reference(Person, optional=True, on_delete=models.CASCADE)
    # The last day the grant gives sight (a "related" grant ends with its relationship);
    # empty while the reason lasts. Kept on the grant so a lookup never joins the reason.
    valid_to = fields.optional_date(_("till och med"))
    # For the family reasons: the family work (an id, as family sits above people), the
    # consent, and a consent's first day.
    family_work_id = models.BigIntegerField(null=True, blank=True)
    consent_id = models.BigIntegerField(null=True, blank=True)
    valid_from = fields.optional_date(_("från och med"))
    granted_at = models.DateTimeField(_("sedan"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("åtkomst")
        verbose_name_plural = _("åtkomster")
        indexes = [
            # The detail page's point lookup: may these units see this person?
            models.Index(fields=["person", "unit", "reason"], name="grant_person_unit"),
            # A list page's join: every person a unit sees, read from the index alone
            # (INCLUDE is PostgreSQL's; elsewhere a plain index on the two columns).
            models.Index(
                fields=["unit", "person"], include=["reason", "valid_to"], name="grant_unit_person"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case_id"],
                condition=models.Q(reason="case"),
                name="grant_one_per_case",
            ),
            models.UniqueConstraint(
                fields=["unit", "person"],
                condition=models.Q(reason="registered"),
                name="grant_one_registration",
            ),
            models.UniqueConstraint(
                fields=["unit", "person", "relationship"],
                condition=models.Q(reason="related"),
                name="grant_one_per_relationship",
            ),
            models.UniqueConstraint(
                fields=["municipality", "family_work_id", "unit", "person"],
                condition=models.Q(reason="family_work"),
                name="grant_one_per_family_work",
            ),
            models.UniqueConstraint(
                fields=["municipality", "consent_id", "unit"],
                condition=models.Q(reason="consent"),
                name="grant_one_per_consent",
            ),
        ]

    def __str__(self):
        return f"{self.unit_id} sees {self.person_id} ({self.reason})"


# Break the glass: the model lives with its code (kinsight/people/emergency/).
from kinsight.people.emergency.models import EmergencyAccess  # noqa: E402, F401
