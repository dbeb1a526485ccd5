"""What Kinsight holds about one person, kind by kind: the sources of the register
extract. Each kind is one query over the owning app's model (its manager, filtered
by the municipality and the person, not by ``visible_to``: see services.extract_compile
for why and who may do this), so compiling costs the same few queries however much
the person has.

An item is ``{"key", "kind", "title", "fields": {label: text}, "withhold_review",
"reason", "decision"}``. ``withhold_review`` is true where the item holds another
person's data (a reporter's identity, a relative, a free text that may name others):
the log reviewer decides release or withhold before anything leaves (OSL 26 kap.)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Reasons an item is flagged for review (shown to the reviewer, never to the person).
OTHER_PERSON = gettext_lazy("Uppgifter om en annan person (anhörig)")
FREE_TEXT = gettext_lazy("Fritext som kan nämna andra personer")
REPORTER = gettext_lazy("Anmälarens identitet (OSL 26 kap. 5 §)")
CHILD_OR_PARENT = gettext_lazy("Uppgifter om barnet eller föräldern")
FAMILY = gettext_lazy("Gemensamt för familjen: andra familjemedlemmars uppgifter")
GIVEN_BY_OTHER = gettext_lazy("Lämnat av eller för en annan person")

Flag = Callable[[Any, int], Any]


def always(reason: Any) -> Flag:
    return lambda row, person_id: reason


def when_text(*names: str) -> Flag:
    """Flagged when any of the free-text fields ``names`` holds text."""
    return lambda row, person_id: FREE_TEXT if any(getattr(row, n) for n in names) else ""


def _reporter(row: Any, person_id: int) -> Any:
    if row.reporter_name or row.reporter_contact or row.reported_by_id:
        return REPORTER
    return FREE_TEXT


def _assessment(row: Any, person_id: int) -> Any:
    if row.other_person_id or row.person_id != person_id:
        return OTHER_PERSON
    return when_text("needs", "risk_factors", "protective_notes", "family_view", "free_text")(
        row, person_id
    )


def _consent(row: Any, person_id: int) -> Any:
    others = {row.person_id, row.given_by_id} - {person_id, None}
    return GIVEN_BY_OTHER if others else ""


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any
    model: str  # app_label.Model
    about: Callable[[int], Q]  # the person's rows
    shown: tuple[Any, ...]  # "path" (label: the first field's name) or ("path", label)
    title: Callable[[Any], str] = str
    flag: Flag = field(default=lambda row, person_id: "")
    signed_only: bool = False

    def rows(self, municipality_id: int, person_id: int) -> QuerySet[Any]:
        model = apps.get_model(self.model)
        rows = model.objects.filter(self.about(person_id), municipality_id=municipality_id)
        if self.signed_only:
            rows = rows.filter(signed_at__isnull=False)
        related = {_path(s).rsplit("__", 1)[0] for s in self.shown if "__" in _path(s)}
        related = {r for r in related if _is_relation(model, r)}
        return rows.select_related(*sorted(related)).distinct().order_by("pk")


def _path(spec: Any) -> str:
    return spec[0] if isinstance(spec, tuple) else spec


def _is_relation(model: type[Model], path: str) -> bool:
    for name in path.split("__"):
        found = model._meta.get_field(name)
        if not found.is_relation:
            return False
        model = found.related_model  # type: ignore[assignment]
    return True


def _label(model: type[Model], spec: Any) -> str:
    if isinstance(spec, tuple):
        return str(spec[1])
    found = model._meta.get_field(spec.split("__")[0])
    return str(getattr(found, "verbose_name", found.name))


def _text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _value(row: Any, path: str) -> str:
    *through, name = path.split("__")
    for step in through:
        row = getattr(row, step)
        if row is None:
            return ""
    display = getattr(row, f"get_{name}_display", None)
    value = display() if display else getattr(row, name)
    return _text(value() if callable(value) else value)


def item(kind: Kind, row: Any, person_id: int) -> dict[str, Any]:
    model = type(row)
    values = [(_label(model, spec), _value(row, _path(spec))) for spec in kind.shown]
    reason = kind.flag(row, person_id)
    return {
        "key": f"{kind.key}:{row.pk}",
        "kind": kind.key,
        "title": kind.title(row),
        "fields": {label: text for label, text in values if text},
        "withhold_review": bool(reason),
        "reason": str(reason),
        "decision": None,
    }


def _titled(text: Any) -> Callable[[Any], str]:
    return lambda row: f"{text} {row.pk}"


# People (kinsight.people): the person and their relationships.
PEOPLE = [
    Kind(
        "person",
        gettext_lazy("Personuppgifter"),
        "people.Person",
        lambda p: Q(pk=p),
        (
            "identifier",
            "first_name",
            "last_name",
            "birth_date",
            "sex",
            "street_address",
            "postal_code",
            "city",
            "protected_identity",
            "deceased_on",
            ("registered_unit__name", gettext_lazy("registrerad av enhet")),
            "created_at",
        ),
        title=lambda row: row.full_name,
    ),
    Kind(
        "relationship",
        gettext_lazy("Relationer"),
        "people.Relationship",
        lambda p: Q(from_person=p) | Q(to_person=p),
        (
            "kind",
            "from_person__full_name",
            "to_person__full_name",
            "valid_from",
            "valid_to",
        ),
        title=_titled(gettext_lazy("Relation")),
        flag=always(OTHER_PERSON),
    ),
]

# Cases (kinsight.cases): cases and their signed journal notes.
CASES = [
    Kind(
        "case",
        gettext_lazy("Ärenden"),
        "cases.Case",
        lambda p: Q(person=p),
        ("subject", "status", ("unit__name", gettext_lazy("enhet")), "opened_on", "closed_on"),
        title=_titled(gettext_lazy("Ärende")),
    ),
    Kind(
        "journal_note",
        gettext_lazy("Journalanteckningar"),
        "cases.JournalNote",
        lambda p: Q(case__person=p),
        (
            ("case_id", gettext_lazy("ärende")),
            ("signed_at", gettext_lazy("signerad")),
            ("corrects_id", gettext_lazy("rättar anteckning")),
            ("text", gettext_lazy("text")),
        ),
        title=_titled(gettext_lazy("Journalanteckning")),
        flag=when_text("text"),
        signed_only=True,
    ),
]

# Detection (kinsight.detection): the child question, child records, concern reports.
DETECTION = [
    Kind(
        "child_question",
        gettext_lazy("Barnfrågan"),
        "detection.ChildQuestion",
        lambda p: Q(person=p),
        ("has_children", "expecting_child", "answered_at", "next_ask_on"),
        title=_titled(gettext_lazy("Barnfrågan")),
    ),
    Kind(
        "child_record",
        gettext_lazy("Barn som anhöriga"),
        "detection.ChildRecord",
        lambda p: Q(parent=p) | Q(child=p),
        (
            "first_name",
            "birth_date",
            "custody",
            "lives_with",
            "other_carers",
            "status",
            "identified_on",
        ),
        title=_titled(gettext_lazy("Barn som anhörig")),
        flag=always(CHILD_OR_PARENT),
    ),
    Kind(
        "concern_report",
        gettext_lazy("Orosanmälningar"),
        "detection.ConcernReport",
        lambda p: Q(child=p) | Q(child_record__parent=p),
        (
            "received_on",
            "source",
            "reporter_category",
            "reporter_name",
            "reporter_contact",
            "concern",
            "status",
            "pre_assessment_decision",
            "investigation_outcome",
            "decision_note",
        ),
        title=_titled(gettext_lazy("Orosanmälan")),
        flag=_reporter,
    ),
]

# Family work (kinsight.family): membership, consents, signed meeting notes.
FAMILY_WORK = [
    Kind(
        "family_member",
        gettext_lazy("Familjearbete"),
        "family.FamilyMember",
        lambda p: Q(person=p),
        (
            ("family_work__title", gettext_lazy("familjearbete")),
            "role",
            ("family_work__started_on", gettext_lazy("startat")),
            "ended_on",
        ),
        title=_titled(gettext_lazy("Familjearbete")),
    ),
    Kind(
        "consent",
        gettext_lazy("Samtycken"),
        "family.Consent",
        lambda p: Q(person=p) | Q(given_by=p),
        (
            "purpose",
            "form",
            "given_on",
            "valid_from",
            "valid_to",
            "withdrawn_on",
            "child_view_text",
            "note",
        ),
        title=_titled(gettext_lazy("Samtycke")),
        flag=_consent,
    ),
    Kind(
        "meeting_note",
        gettext_lazy("Anteckningar från familjemöten"),
        "family.MeetingNote",
        lambda p: Q(meeting__family_work__members__person=p),
        (
            ("signed_at", gettext_lazy("signerad")),
            ("corrects_id", gettext_lazy("rättar anteckning")),
            ("text", gettext_lazy("text")),
        ),
        title=_titled(gettext_lazy("Mötesanteckning")),
        flag=always(FAMILY),
        signed_only=True,
    ),
]

# Assessment and plans (kinsight.assessment, kinsight.interventions).
ASSESSMENT_AND_PLANS = [
    Kind(
        "assessment_part",
        gettext_lazy("Bedömningar"),
        "assessment.AssessmentPart",
        lambda p: Q(person=p) | Q(other_person=p),
        (
            "perspective",
            "kind",
            "needs",
            "risk_factors",
            "protective_notes",
            "family_view",
            "child_words",
            "free_text",
        ),
        title=_titled(gettext_lazy("Bedömning")),
        flag=_assessment,
    ),
    Kind(
        "plan_goal",
        gettext_lazy("Planer"),
        "interventions.PlanGoal",
        lambda p: Q(plan__family_work__members__person=p),
        ("perspective_label", "text"),
        title=_titled(gettext_lazy("Mål i familjeplan")),
        flag=always(FAMILY),
    ),
    Kind(
        "placement",
        gettext_lazy("Placeringar"),
        "interventions.Placement",
        lambda p: Q(child=p),
        ("kind", "place", "start_on", "end_on", "note"),
        title=_titled(gettext_lazy("Placering")),
        flag=when_text("note"),
    ),
    Kind(
        "referral",
        gettext_lazy("Remisser"),
        "interventions.Referral",
        lambda p: Q(person=p),
        (
            ("intervention__name", gettext_lazy("insats")),
            "external_provider",
            "reason",
            "status",
            "sent_on",
        ),
        title=_titled(gettext_lazy("Remiss")),
        flag=when_text("reason"),
    ),
]

# Support groups (kinsight.groups): participation and measurements.
GROUPS = [
    Kind(
        "group_participant",
        gettext_lazy("Stödgrupper"),
        "groups.GroupParticipant",
        lambda p: Q(person=p),
        (
            ("cycle__name", gettext_lazy("grupp")),
            "status",
            "joined_on",
            "ended_on",
            "dropped_reason",
        ),
        title=_titled(gettext_lazy("Deltagande i stödgrupp")),
    ),
    Kind(
        "measurement",
        gettext_lazy("Mätningar i stödgrupp"),
        "groups.Measurement",
        lambda p: Q(participant__person=p),
        (("instrument__name", gettext_lazy("instrument")), "point", "answered_on", "total_score"),
        title=_titled(gettext_lazy("Mätning")),
    ),
]

KINDS: list[Kind] = [*PEOPLE, *CASES, *DETECTION, *FAMILY_WORK, *ASSESSMENT_AND_PLANS, *GROUPS]
