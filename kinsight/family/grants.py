# ruff: noqa: S608 - the SQL below interpolates table names and enum constants only;
# every value is a parameter.
"""The access grants a family work and a consent give (kept as ``PersonGrant`` rows,
kinsight/people/grants.py), written by kinsight/family/services.py in the transaction
of the change and ended by deletion:

- ``family_work``: the unit of every current participant, for every current member:
  the unit works with the person in that family work. By itself it shows only the
  work's summary (title, dates, participants); a member row needs the person's consent,
  the coordinator's role or the unit's own client (kinsight/family/access.py). Written
  when the work starts, a unit joins or a member is added; ended when the unit leaves or
  the member's membership ends.
- ``consent``: a sharing consent not withdrawn, for every current participant's unit it
  covers (named in it, or all units), with the consent's first and last day (read at
  lookup, as a relationship's end). Written when the consent is recorded or a covered
  unit joins; ended when it is withdrawn or the unit leaves.

Neither gives sight of the person's own page (``PERSON_REASONS`` leaves them out). The
demo generator and imports rebuild them with ``grants_rebuild`` from the source below.
"""

from kinsight.people.grants import NULL_DATE, NULL_ID, register_source
from kinsight.people.models import FAMILY_REASONS, GrantReason, PersonGrant


def _models():
    from kinsight.family.models import Consent, ConsentPurpose, FamilyMember, Participant

    return Consent, ConsentPurpose, FamilyMember, Participant


def _current_units(family_work, unit_ids=None):
    participants = _models()[3]._base_manager.filter(family_work=family_work, left_on__isnull=True)
    if unit_ids is not None:
        participants = participants.filter(unit_id__in=unit_ids)
    return set(participants.values_list("unit_id", flat=True))


def _grant(family_work, unit_id, person_id, reason, consent=None):
    return PersonGrant(
        municipality_id=family_work.municipality_id,
        person_id=person_id,
        unit_id=unit_id,
        reason=reason,
        family_work_id=family_work.pk,
        consent_id=getattr(consent, "pk", None),
        valid_from=getattr(consent, "valid_from", None),
        valid_to=getattr(consent, "valid_to", None),
    )


def work_grants_add(family_work, *, unit_ids=None, person_ids=None):
    """``family_work`` grants of the current participants (or those of ``unit_ids``)
    for the current members (or those of ``person_ids``): three statements."""
    members = _models()[2]._base_manager.filter(family_work=family_work, ended_on__isnull=True)
    if person_ids is not None:
        members = members.filter(person_id__in=person_ids)
    persons = list(members.values_list("person_id", flat=True))
    rows = [
        _grant(family_work, unit_id, person_id, GrantReason.FAMILY_WORK)
        for unit_id in _current_units(family_work, unit_ids)
        for person_id in persons
    ]
    PersonGrant.objects.bulk_create(rows, ignore_conflicts=True)


def consent_grants_add(family_work, *, unit_ids=None, consent=None):
    """``consent`` grants of the work's sharing consents not withdrawn (or of
    ``consent``) for the current participants they cover (or those of ``unit_ids``):
    four statements whatever the number of consents."""
    Consent, ConsentPurpose, _member, _participant = _models()
    consents = Consent._base_manager.filter(
        family_work=family_work, purpose=ConsentPurpose.SHARING, withdrawn_on__isnull=True
    ).prefetch_related("consent_units")
    if consent is not None:
        consents = consents.filter(pk=consent.pk)
    units = _current_units(family_work, unit_ids)
    rows = []
    for found in consents:
        covered = units
        if not found.all_units:
            covered = units & {named.unit_id for named in found.consent_units.all()}
        rows += [
            _grant(family_work, unit_id, found.person_id, GrantReason.CONSENT, found)
            for unit_id in covered
        ]
    PersonGrant.objects.bulk_create(rows, ignore_conflicts=True)


def grants_end(family_work, **which):
    """Delete the work's family grants that match ``which`` (``unit_id``, ``person_id``,
    ``consent_id``, ``reason``)."""
    PersonGrant.objects.filter(
        municipality_id=family_work.municipality_id,
        family_work_id=family_work.pk,
        reason__in=FAMILY_REASONS,
        **which,
    ).delete()


# --- the recompute ----------------------------------------------------------------------


def family_grants_source(municipality_id):
    """Every family grant of the municipality, as whole grant rows (for
    ``grants_rebuild`` and ``grants_compare``): one SELECT per reason."""
    Consent, ConsentPurpose, FamilyMember, Participant = _models()
    participant = Participant._meta.db_table
    member = FamilyMember._meta.db_table
    consent = Consent._meta.db_table
    named = Consent.units.through._meta.db_table
    no_case = f"{NULL_ID}, {NULL_ID}, {NULL_ID}"
    works = (
        f"SELECT p.municipality_id AS m, f.person_id, p.unit_id, "
        f"'{GrantReason.FAMILY_WORK}' AS reason, {no_case}, {NULL_DATE}, p.family_work_id, "
        f"{NULL_ID}, {NULL_DATE} FROM {participant} p JOIN {member} f "
        f"ON f.family_work_id = p.family_work_id AND f.ended_on IS NULL "
        f"WHERE p.municipality_id = %s AND p.left_on IS NULL"
    )
    consents = (
        f"SELECT c.municipality_id, c.person_id, p.unit_id, '{GrantReason.CONSENT}', "
        f"{no_case}, c.valid_to, c.family_work_id, c.id, c.valid_from "
        f"FROM {consent} c JOIN {participant} p "
        f"ON p.family_work_id = c.family_work_id AND p.left_on IS NULL "
        f"WHERE c.municipality_id = %s AND c.purpose = '{ConsentPurpose.SHARING}' "
        f"AND c.withdrawn_on IS NULL AND (c.all_units = %s OR EXISTS (SELECT 1 FROM {named} "
        f"u WHERE u.consent_id = c.id AND u.unit_id = p.unit_id))"
    )
    return f"{works} UNION ALL {consents}", [municipality_id, municipality_id, True]


def register():
    register_source(family_grants_source)
