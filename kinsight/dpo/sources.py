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
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

# Reasons an item is flagged for review (shown to the reviewer, never to the person).
OTHER_PERSON = gettext_lazy("Uppgifter om en annan person (anhörig)")
FREE_TEXT = gettext_lazy("Fritext som kan nämna andra personer")
REPORTER = gettext_lazy("Anmälarens identitet (OSL 26 kap. 5 §)")
CHILD_OR_PARENT = gettext_lazy("Uppgifter om barnet eller föräldern")
FAMILY = gettext_lazy("Gemensamt för familjen: andra familjemedlemmars uppgifter")
GIVEN_BY_OTHER = gettext_lazy("Lämnat av eller för en annan person")

# Labels of the paths whose field's own name would not say it (a related row's name).
SIGNED = gettext_lazy("signerad")
CORRECTS = gettext_lazy("rättar anteckning")
LABELS = {
    "signed_at": SIGNED,
    "corrects_id": CORRECTS,
    "case_id": gettext_lazy("ärende"),
    "text": gettext_lazy("text"),
    "unit__name": gettext_lazy("enhet"),
    "registered_unit__name": gettext_lazy("registrerad av enhet"),
    "family_work__title": gettext_lazy("familjearbete"),
    "family_work__started_on": gettext_lazy("startat"),
    "intervention__name": gettext_lazy("insats"),
    "cycle__name": gettext_lazy("grupp"),
    "instrument__name": gettext_lazy("instrument"),
}

Flag = Callable[[Any, int], Any]


def never(row: Any, person_id: int) -> Any:
    return ""


def always(reason: Any) -> Flag:
    return lambda row, person_id: reason


def when_text(*names: str) -> Flag:
    """Flagged when any of the free-text fields ``names`` holds text."""
    return lambda row, person_id: FREE_TEXT if any(getattr(row, n) for n in names) else ""


def _reporter(row: Any, person_id: int) -> Any:
    if row.reporter_name or row.reporter_contact or row.reported_by_id:
        return REPORTER
    return FREE_TEXT


_ASSESSMENT_TEXTS = when_text("needs", "risk_factors", "protective_notes", "family_view")
_ASSESSMENT_WORDS = when_text("child_words", "free_text")


def _assessment(row: Any, person_id: int) -> Any:
    if row.other_person_id or row.person_id != person_id:
        return OTHER_PERSON
    return _ASSESSMENT_TEXTS(row, person_id) or _ASSESSMENT_WORDS(row, person_id)


def _consent(row: Any, person_id: int) -> Any:
    others = {row.person_id, row.given_by_id} - {person_id, None}
    return GIVEN_BY_OTHER if others else ""


@dataclass(frozen=True)
class Kind:
    """One kind of data: ``about`` the lookups from the model to the person ("|"
    between alternatives), ``shown`` the paths shown (space between), ``title`` an
    item's heading before its number (empty: the row's own name)."""

    key: str
    label: Any
    title: Any
    model: str  # app_label.Model
    about: str
    shown: str
    flag: Flag = never
    signed_only: bool = False

    def rows(self, municipality_id: int, person_id: int) -> QuerySet[Any]:
        model = apps.get_model(self.model)
        person = reduce(or_, (Q(**{lookup: person_id}) for lookup in self.about.split("|")))
        rows = model.objects.filter(person, municipality_id=municipality_id)
        if self.signed_only:
            rows = rows.filter(signed_at__isnull=False)
        related = {path.rsplit("__", 1)[0] for path in self.shown.split() if "__" in path}
        return rows.select_related(*sorted(related)).distinct().order_by("pk")


def _label(model: type[Model], path: str) -> str:
    if path in LABELS:
        return str(LABELS[path])
    found = model._meta.get_field(path.split("__")[0])
    return str(getattr(found, "verbose_name", found.name))


def _text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return gettext("Ja") if value else gettext("Nej")
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
    values = [(_label(model, path), _value(row, path)) for path in kind.shown.split()]
    reason = kind.flag(row, person_id)
    return {
        "key": f"{kind.key}:{row.pk}",
        "kind": kind.key,
        "title": f"{kind.title} {row.pk}" if kind.title else str(row),
        "fields": {label: text for label, text in values if text},
        "withhold_review": bool(reason),
        "reason": str(reason),
        "decision": None,
    }


# One line of kinds per app, the person first.
KINDS: list[Kind] = [
    # People (kinsight.people): the person and their relationships.
    Kind(
        "person", _("Personuppgifter"), "", "people.Person", "pk",
        "identifier first_name last_name birth_date sex street_address postal_code city"
        " protected_identity deceased_on registered_unit__name created_at",
    ),
    Kind(
        "relationship", _("Relationer"), _("Relation"), "people.Relationship",
        "from_person|to_person",
        "kind from_person__full_name to_person__full_name valid_from valid_to",
        always(OTHER_PERSON),
    ),
    # Cases (kinsight.cases): cases and their signed journal notes.
    Kind(
        "case", _("Ärenden"), _("Ärende"), "cases.Case", "person",
        "subject status unit__name opened_on closed_on",
    ),
    Kind(
        "journal_note", _("Journalanteckningar"), _("Journalanteckning"), "cases.JournalNote",
        "case__person", "case_id signed_at corrects_id text", when_text("text"),
        signed_only=True,
    ),
    # Detection (kinsight.detection): the child question, child records, concern reports.
    Kind(
        "child_question", _("Barnfrågan"), _("Barnfrågan"), "detection.ChildQuestion",
        "person", "has_children expecting_child answered_at next_ask_on",
    ),
    Kind(
        "child_record", _("Barn som anhöriga"), _("Barn som anhörig"), "detection.ChildRecord",
        "parent|child",
        "first_name birth_date custody lives_with other_carers status identified_on",
        always(CHILD_OR_PARENT),
    ),
    Kind(
        "concern_report", _("Orosanmälningar"), _("Orosanmälan"), "detection.ConcernReport",
        "child|child_record__parent",
        "received_on source reporter_category reporter_name reporter_contact concern status"
        " pre_assessment_decision investigation_outcome decision_note",
        _reporter,
    ),
    Kind(
        "child_step", _("Barn som anhöriga: steg"), _("Steg för barn som anhörig"),
        "detection.ChildRecordStep", "record__parent|record__child",
        "status on unit__name note", always(CHILD_OR_PARENT),
    ),
    Kind(
        "child_flag", _("Unga omsorgsgivare och barn som tolkar"), _("Markering"),
        "detection.ChildFlag", "record__parent|record__child", "kind noted_on ended_on note",
        always(CHILD_OR_PARENT),
    ),
    # Family work (kinsight.family): membership, consents, signed meeting notes.
    Kind(
        "family_member", _("Familjearbete"), _("Familjearbete"), "family.FamilyMember",
        "person", "family_work__title role family_work__started_on ended_on",
    ),
    Kind(
        "consent", _("Samtycken"), _("Samtycke"), "family.Consent", "person|given_by",
        "purpose form given_on valid_from valid_to withdrawn_on child_view_text note",
        _consent,
    ),
    Kind(
        "meeting_participant", _("Deltagande i familjemöten"), _("Deltagande i möte"),
        "family.MeetingParticipant", "person", "meeting__held_on kind",
    ),
    Kind(
        "meeting_note", _("Anteckningar från familjemöten"), _("Mötesanteckning"),
        "family.MeetingNote", "meeting__family_work__members__person",
        "signed_at corrects_id text", always(FAMILY), signed_only=True,
    ),
    # Assessment and plans (kinsight.assessment, kinsight.interventions).
    Kind(
        "assessment_part", _("Bedömningar"), _("Bedömning"), "assessment.AssessmentPart",
        "person|other_person",
        "perspective kind needs risk_factors protective_notes family_view child_words free_text",
        _assessment,
    ),
    Kind(
        "instrument_result", _("Skattningar"), _("Skattning"), "assessment.InstrumentResult",
        "part__person", "instrument__name answered_on total_score cutoff_label note",
        when_text("note"),
    ),
    Kind(
        "plan_goal", _("Planer"), _("Mål i familjeplan"), "interventions.PlanGoal",
        "plan__family_work__members__person", "perspective_label text", always(FAMILY),
    ),
    Kind(
        "placement", _("Placeringar"), _("Placering"), "interventions.Placement", "child",
        "kind place start_on end_on note", when_text("note"),
    ),
    Kind(
        "referral", _("Remisser"), _("Remiss"), "interventions.Referral", "person",
        "intervention__name external_provider reason status sent_on", when_text("reason"),
    ),
    # Support groups (kinsight.groups): participation and measurements.
    Kind(
        "group_participant", _("Stödgrupper"), _("Deltagande i stödgrupp"),
        "groups.GroupParticipant", "person", "cycle__name status joined_on ended_on dropped_reason",
    ),
    Kind(
        "measurement", _("Mätningar i stödgrupp"), _("Mätning"), "groups.Measurement",
        "participant__person", "instrument__name point answered_on total_score",
    ),
    Kind(
        "group_attendance", _("Närvaro i stödgrupp"), _("Närvaro"), "groups.Attendance",
        "participant__person", "session__held_on presence",
    ),
    Kind(
        "individual_talk", _("Enskilda samtal i stödgrupp"), _("Enskilt samtal"),
        "groups.IndividualTalk", "participant__person", "held_on",
    ),
    # Retention (kinsight.retention): a legal hold on the person's records.
    Kind(
        "legal_hold", _("Spärrar mot gallring"), _("Spärr mot gallring"), "retention.LegalHold",
        "person", "reason until created_at ended_at",
    ),
]  # fmt: skip
