from django.apps import AppConfig
from django.utils.translation import gettext as _


def _log_search(municipality, text):
    """The log reviewer's search: every person of the municipality by number or name
    (the log reviewer is entitled to find anyone whose log they review)."""
    from kinsight.people.identifiers import looks_like_identifier, search_forms
    from kinsight.people.models import Person, normalise_name

    persons = Person.objects.filter(municipality=municipality)
    if looks_like_identifier(text):
        return persons.filter(identifier__in=search_forms(text, municipality=municipality))
    for word in normalise_name(text).split():
        persons = persons.filter(search_name__contains=word)
    return persons


def _person_access(person):
    """The person's access grants for the log reviewer: unit, reason, since, and for a
    relative the person seen in full and the relationship's end (one query)."""
    from kinsight.people.models import PersonGrant

    grants = (
        PersonGrant.objects.filter(person=person)
        .select_related("unit", "via_person", "relationship")
        .order_by("unit__name", "reason", "granted_at")
    )
    return [
        {
            "unit": grant.unit.name,
            "reason": grant.get_reason_display(),
            "since": grant.granted_at,
            "via": grant.via_person.full_name if grant.via_person_id else "",
            "ends": grant.relationship.valid_to if grant.relationship_id else None,
        }
        for grant in grants
    ]


def _register_audit_kinds():
    from kinsight.audit.registry import person_text, register
    from kinsight.people.models import EmergencyAccess, Person, Relationship

    register(
        Person,
        persons=("pk",),
        label=lambda p: _("Person: %s") % person_text(p),
        search=_log_search,
        access=_person_access,
    )
    register(
        EmergencyAccess,
        persons=("person",),
        related=("person", "user"),
        label=lambda a: (
            _("Nödåtkomst: %(user)s – %(person)s") % {"user": a.user, "person": a.person.full_name}
        ),
    )
    register(
        Relationship,
        persons=("from_person", "to_person"),
        related=("from_person", "to_person"),
        label=lambda r: (
            _("Relation: %(from)s – %(to)s")
            % {"from": r.from_person.full_name, "to": r.to_person.full_name}
        ),
    )


class Config(AppConfig):
    name = "kinsight.people"
    verbose_name = "Personer"

    def ready(self):
        from kinsight.people import log_patterns
        from kinsight.people.register import checks  # noqa: F401 (registers the check)

        _register_audit_kinds()
        log_patterns.register_all()
