"""Writes for early detection: the child question, children as next of kin (steps and
flags) and concern reports. Each function takes the acting user, checks that they may
act, validates (Swedish messages on the field), writes and audits in one transaction;
nothing is half-saved."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_created, audit_record, diff, snapshot
from kinsight.cases.models import Case
from kinsight.core.models import NodeKind, OrgUnit, UnitType
from kinsight.core.versioning import NOT_YET_SAVED, StaleEdit, VersionMissing, save_versioned
from kinsight.detection.access import WORK_ROLES
from kinsight.detection.models import (
    EXTERNAL_CATEGORIES,
    Answer,
    ChildFlag,
    ChildInformation,
    ChildQuestion,
    ChildQuestionAnswer,
    ChildRecord,
    ChildRecordStep,
    ChildStatus,
    ConcernReport,
    Custody,
    DeadlineRule,
    FlagKind,
    InvestigationOutcome,
    LivesWith,
    PreAssessmentDecision,
    ReporterCategory,
    ReportSource,
    ReportStatus,
    add_months,
)
from kinsight.people.identifiers import IdentifierKind, parse_identifier
from kinsight.people.models import Person, normalise_name

QUESTION_FIELDS = ["has_children", "unknown_reason", "expecting_child", "next_ask_on"]
RECORD_FIELDS = [
    "case",
    "unit",
    "parent",
    "child",
    "first_name",
    "birth_date",
    "birth_year",
    "expected_month",
    "custody",
    "lives_with",
    "other_carers",
    "status",
    "identified_on",
]
RECORD_EDIT_FIELDS = ["custody", "lives_with", "other_carers"]
STEP_FIELDS = [
    "record",
    "status",
    "on",
    "by",
    "unit",
    "note",
    "parent_talked_with",
    "child_information",
    "child_information_reason",
]
FLAG_FIELDS = ["record", "kind", "noted_on", "ended_on", "note"]
# The content of a report is never copied into the audit log: only what changed.
REPORT_FIELDS = [
    "source",
    "reporter_category",
    "reporting_unit",
    "reported_by",
    "child_record",
    "child",
    "receiving_unit",
    "responsible",
    "received_on",
    "feedback_requested",
    "status",
    "pre_assessment_due_on",
    "pre_assessment_decision",
    "pre_assessment_decided_on",
    "investigation_started_on",
    "investigation_due_on",
    "investigation_outcome",
    "investigation_completed_on",
    "feedback_due_on",
    "feedback_given_on",
]


def _today():
    return timezone.localdate()


def _not_future(day, field, label):
    if day and day > _today():
        raise ValidationError(
            {field: _("%(label)s kan inte ligga i framtiden.") % {"label": label}}
        )


def is_adult(person, on=None):
    """Adults get the child question; a person of unknown age is asked too."""
    age = person.age(on)
    return age is None or age >= 18


# The child question -----------------------------------------------------------------


def question_months():
    return settings.KINSIGHT_CHILD_QUESTION_MONTHS


def child_question_answer(
    *, actor, case, has_children, expecting_child, expected_version, unknown_reason=""
):
    """Answer (or answer again) the child question on an adult's case.
    ``expected_version`` is the question's version the answer started from
    (NOT_YET_SAVED for a first answer): an answer saved meanwhile, the first one
    too, makes this one stale."""
    if expected_version is None:
        raise VersionMissing
    require(Case.objects.visible_to(actor, "change"), case)
    if case.is_closed:
        raise ValidationError(_("Ärendet är avslutat och kan inte ändras."))
    if not is_adult(case.person):
        raise ValidationError(_("Barnfrågan ställs i ärenden för vuxna (18 år och äldre)."))
    errors = {}
    if has_children not in Answer.values:
        errors["has_children"] = _("Svara ja, nej eller okänt på om personen har barn under 18 år.")
    if expecting_child not in Answer.values:
        errors["expecting_child"] = _("Svara ja, nej eller okänt på om personen väntar barn.")
    unknown_reason = (unknown_reason or "").strip()
    if has_children == Answer.UNKNOWN and not unknown_reason:
        errors["unknown_reason"] = _(
            "Skriv varför det är okänt, t.ex. att personen inte ville eller kunde svara."
        )
    if len(unknown_reason) > 300:
        errors["unknown_reason"] = _("Skriv högst 300 tecken om varför det är okänt.")
    if errors:
        raise ValidationError(errors)
    if has_children != Answer.UNKNOWN:
        unknown_reason = ""
    now = timezone.now()
    with transaction.atomic():
        # Two first answers must not both find no question: the case row is the lock.
        Case.objects.select_for_update().filter(pk=case.pk).exists()
        question = ChildQuestion.objects.filter(case=case).first()
        values = {
            "has_children": has_children,
            "unknown_reason": unknown_reason,
            "expecting_child": expecting_child,
            "answered_at": now,
            "answered_by": actor,
            "next_ask_on": add_months(timezone.localdate(now), question_months()),
        }
        if question is None:
            if expected_version != NOT_YET_SAVED:
                raise StaleEdit(StaleEdit.message)
            question = ChildQuestion(
                municipality_id=case.municipality_id,
                case=case,
                person_id=case.person_id,
                unit_id=case.unit_id,
                **values,
            )
            question.save()
            audit_created(actor, question, QUESTION_FIELDS)
        else:
            before = snapshot(question, QUESTION_FIELDS)
            for name, value in values.items():
                setattr(question, name, value)
            save_versioned(
                question,
                expected_version=expected_version,
                fields=list(values),
            )
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=question,
                changes=diff(before, snapshot(question, QUESTION_FIELDS)),
            )
        answer = ChildQuestionAnswer.objects.create(
            municipality_id=case.municipality_id,
            question=question,
            unit_id=case.unit_id,
            has_children=has_children,
            unknown_reason=unknown_reason,
            expecting_child=expecting_child,
            answered_at=now,
            answered_by=actor,
        )
        audit_created(
            actor, answer, ["question", "has_children", "unknown_reason", "expecting_child"]
        )
        return question


# Children as next of kin ---------------------------------------------------------------


class DuplicateChild(ValidationError):
    """The case has this child recorded already: ``existing`` is that record. (A
    parent's other case records the child afresh: a record is per case.)"""

    def __init__(self, existing, field):
        self.existing = existing
        message = _(
            "%(name)s finns redan som barn i det här ärendet (registrerad %(day)s). Öppna "
            "det barnet i stället för att lägga till det två gånger."
        ) % {
            "name": existing.display_name,
            "day": existing.identified_on,
        }
        super().__init__({field: [message]})

    @property
    def url(self):
        return reverse("detection:child_detail", args=[self.existing.pk])


def _check_choice(errors, field, value, choices, message):
    if value not in choices:
        errors[field] = message


def _find_duplicate(*, case, child, first_name, birth_year, exclude_pk=None):
    """The record of the same child on ``case`` (records are per case)."""
    records = ChildRecord.objects.filter(municipality_id=case.municipality_id, case=case)
    if exclude_pk:
        records = records.exclude(pk=exclude_pk)
    if child is not None:
        found = records.filter(child=child).first()
        if found:
            return found
    wanted = normalise_name(first_name)
    for record in records.filter(birth_year__in=[birth_year - 1, birth_year, birth_year + 1]):
        same_name = normalise_name(record.first_name).split(" ")[:1] == wanted.split(" ")[:1]
        if same_name and (child is None or record.child_id is None):
            return record
    return None


def _child_by_identifier(*, actor, parent, identifier, first_name, last_name):
    """The Person for a typed personnummer: ``(person the actor sees, parsed, None)``,
    ``(None, parsed, None)`` for a new one (registered through the people services,
    with the parent relationship), or ``(None, parsed, known)`` for a person another
    unit works with: the record links to them blind (see ``_link_known_child``)."""
    parsed = parse_identifier(
        identifier, kind=IdentifierKind.PERSONNUMMER, municipality=parent.municipality
    )
    if parsed.value == parent.identifier:
        raise ValidationError(
            {"identifier": _("Det är förälderns eget personnummer. Ange barnets personnummer.")}
        )
    existing = Person._base_manager.filter(
        municipality_id=parent.municipality_id, identifier=parsed.value
    ).first()
    if existing is not None:
        if not Person.objects.visible_to(actor, "view").filter(pk=existing.pk).exists():
            return None, parsed, existing
        return existing, parsed, None
    return None, parsed, None


def _link_known_child(actor, known):
    """Link the record to a child the actor does not see, by the whole number typed:
    nothing of the person is copied or shown (the record keeps what the worker typed),
    no relationship is added, and the lookup is audited naming the person."""
    audit_record(
        actor=actor,
        action=AuditAction.READ,
        obj=known,
        changes={"lookup": "full identifier", "linked": "child as next of kin"},
    )
    return known


def child_record_add(
    *,
    actor,
    case,
    custody=Custody.UNKNOWN,
    lives_with=LivesWith.UNKNOWN,
    other_carers="",
    child=None,
    identifier="",
    first_name="",
    last_name="",
    age=None,
    identified_on=None,
):
    """Record a child of the case's person as next of kin: an existing Person
    (``child``), a personnummer (linked to the person the actor sees, or registered),
    or a first name and age. Starts the lifecycle at "identified"."""
    require(Case.objects.visible_to(actor, "change"), case)
    if case.is_closed:
        raise ValidationError(_("Ärendet är avslutat och kan inte ändras."))
    parent = case.person
    today = _today()
    identified_on = identified_on or today
    errors = {}
    _check_choice(errors, "custody", custody, Custody.values, _("Välj vem som har vårdnaden."))
    _check_choice(
        errors, "lives_with", lives_with, LivesWith.values, _("Välj om barnet bor hos föräldern.")
    )
    if len(other_carers or "") > 300:
        errors["other_carers"] = _("Skriv högst 300 tecken om andra som tar hand om barnet.")
    if identified_on > today:
        errors["identified_on"] = _("Datumet kan inte ligga i framtiden.")
    if errors:
        raise ValidationError(errors)
    identifier = (identifier or "").strip()
    first_name = (first_name or "").strip()
    last_name = (last_name or "").strip()
    parsed = known = None
    if child is None and identifier:
        child, parsed, known = _child_by_identifier(
            actor=actor,
            parent=parent,
            identifier=identifier,
            first_name=first_name,
            last_name=last_name,
        )
    field = "identifier" if (identifier or child is not None) else "first_name"
    if child is not None:
        require(Person.objects.visible_to(actor, "view"), child)
        if child.pk == parent.pk:
            raise ValidationError(
                {
                    field: _("%(name)s är föräldern i ärendet och kan inte vara sitt eget barn.")
                    % {"name": parent.full_name}
                }
            )
        child_age = child.age(today)
        birth_date = child.birth_date
        birth_year = birth_date.year if birth_date else child.approximate_birth_year
        if birth_year is None:
            raise ValidationError({field: _("Barnets ålder är okänd. Ange ålder.")})
        first_name = child.first_name
    elif parsed is not None:
        if not first_name:
            raise ValidationError({"first_name": _("Ange barnets förnamn.")})
        birth_date = parsed.birth_date
        birth_year = birth_date.year
        child_age = (
            today.year
            - birth_date.year
            - ((today.month, today.day) < (birth_date.month, birth_date.day))
        )
    else:
        if not first_name:
            raise ValidationError(
                {"first_name": _("Ange barnets förnamn, eller personnummer om det är känt.")}
            )
        if age is None or age == "":
            raise ValidationError({"age": _("Ange barnets ålder i år (en uppskattning räcker).")})
        child_age = int(age)
        if child_age < 0:
            raise ValidationError({"age": _("Åldern kan inte vara negativ.")})
        birth_date, birth_year = None, today.year - child_age
        field = "age"
    if child_age is not None and child_age >= 18:
        raise ValidationError(
            {
                field: _("Barnet är %(age)s år. Barn som anhörig gäller barn under 18 år.")
                % {"age": child_age}
            }
        )
    if parent.birth_date and birth_date and birth_date <= parent.birth_date:
        raise ValidationError(
            {field: _("Barnet kan inte vara född före föräldern. Kontrollera personnumret.")}
        )
    duplicate = _find_duplicate(
        case=case, child=child or known, first_name=first_name, birth_year=birth_year
    )
    if duplicate is not None:
        raise DuplicateChild(duplicate, "identifier" if field == "identifier" else "first_name")
    with transaction.atomic():
        if known is not None:
            child = _link_known_child(actor, known)
        elif child is None and parsed is not None:
            from kinsight.people import services as people_services

            living = {
                LivesWith.FULL_TIME: "lives_with_full",
                LivesWith.PART_TIME: "lives_with_part",
            }.get(lives_with, "")
            child = people_services.person_add_relative(
                actor=actor,
                person=parent,
                relation="child",
                guardian=custody in (Custody.JOINT, Custody.THIS_PARENT),
                living=living,
                identifier_kind=IdentifierKind.PERSONNUMMER,
                identifier=identifier,
                first_name=first_name,
                last_name=last_name or parent.last_name,
            )
        return _record_create(
            actor=actor,
            case=case,
            child=child,
            linked_by_number=known is not None,
            first_name=first_name,
            birth_date=birth_date,
            birth_year=birth_year,
            custody=custody,
            lives_with=lives_with,
            other_carers=(other_carers or "").strip(),
            identified_on=identified_on,
        )


def child_record_update(*, actor, record, expected_version, custody, lives_with, other_carers):
    require(ChildRecord.objects.visible_to(actor, "change"), record)
    errors = {}
    _check_choice(errors, "custody", custody, Custody.values, _("Välj vem som har vårdnaden."))
    _check_choice(
        errors, "lives_with", lives_with, LivesWith.values, _("Välj om barnet bor hos föräldern.")
    )
    if len(other_carers or "") > 300:
        errors["other_carers"] = _("Skriv högst 300 tecken om andra som tar hand om barnet.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = snapshot(ChildRecord._base_manager.get(pk=record.pk), RECORD_EDIT_FIELDS)
        record.custody, record.lives_with = custody, lives_with
        record.other_carers = (other_carers or "").strip()
        save_versioned(record, expected_version=expected_version, fields=RECORD_EDIT_FIELDS)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=record,
            changes=diff(before, snapshot(record, RECORD_EDIT_FIELDS)),
        )
        return record


def _record_create(*, actor, case, **fields):
    """A new child record on ``case``, "identified", with its first step; audited."""
    record = ChildRecord(
        municipality_id=case.municipality_id,
        case=case,
        unit_id=case.unit_id,
        parent_id=case.person_id,
        status_changed_on=fields["identified_on"],
        created_by=actor,
        **fields,
    )
    record.save()
    audit_created(actor, record, RECORD_FIELDS)
    step = ChildRecordStep.objects.create(
        municipality_id=case.municipality_id,
        record=record,
        status=ChildStatus.IDENTIFIED,
        on=fields["identified_on"],
        by=actor,
        unit_id=case.unit_id,
    )
    audit_created(actor, step, STEP_FIELDS)
    return record


EXPECTED_MONTHS_AHEAD = 10


def child_record_add_expected(
    *, actor, case, expected_month, custody=Custody.UNKNOWN, lives_with=LivesWith.UNKNOWN
):
    """Record an expected child (väntat barn) of the case's person: a child to plan
    for, with the month it is expected and the same steps as any child."""
    require(Case.objects.visible_to(actor, "change"), case)
    if case.is_closed:
        raise ValidationError(_("Ärendet är avslutat och kan inte ändras."))
    this_month = _today().replace(day=1)
    if expected_month is not None:
        expected_month = expected_month.replace(day=1)
    if not (
        expected_month
        and add_months(this_month, -1)
        <= expected_month
        <= add_months(this_month, EXPECTED_MONTHS_AHEAD)
    ):
        raise ValidationError(
            {
                "expected_month": _(
                    "Ange månaden barnet väntas: från förra månaden och högst tio månader fram."
                )
            }
        )
    errors = {}
    _check_choice(errors, "custody", custody, Custody.values, _("Välj vem som har vårdnaden."))
    _check_choice(
        errors, "lives_with", lives_with, LivesWith.values, _("Välj om barnet bor hos föräldern.")
    )
    waiting = ChildRecord.objects.filter(
        case=case, expected_month__isnull=False, birth_date__isnull=True
    ).first()
    if waiting is not None:
        errors["expected_month"] = _(
            "Det finns redan ett väntat barn i ärendet (väntas %(month)s). Öppna det i stället."
        ) % {"month": waiting.expected_month.strftime("%Y-%m")}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _record_create(
            actor=actor,
            case=case,
            first_name="",
            birth_year=expected_month.year,
            expected_month=expected_month,
            custody=custody,
            lives_with=lives_with,
            identified_on=_today(),
        )


def child_record_born(*, actor, record, expected_version, first_name, birth_date):
    """The expected child is born: it gets its first name and birth date and goes on
    as a child of the parent's case, with its steps kept."""
    require(ChildRecord.objects.visible_to(actor, "change"), record)
    stored = ChildRecord._base_manager.get(pk=record.pk)
    if not stored.is_expected:
        raise ValidationError(_("Barnet är redan registrerat som fött."))
    first_name = (first_name or "").strip()
    errors = {}
    if not first_name:
        errors["first_name"] = _("Ange barnets förnamn.")
    if birth_date is None:
        errors["birth_date"] = _("Ange barnets födelsedatum.")
    elif birth_date > _today():
        errors["birth_date"] = _("Födelsedatumet kan inte ligga i framtiden.")
    elif stored.parent.birth_date and birth_date <= stored.parent.birth_date:
        errors["birth_date"] = _("Barnet kan inte vara fött före föräldern.")
    if errors:
        raise ValidationError(errors)
    fields = ["first_name", "birth_date", "birth_year"]
    with transaction.atomic():
        before = snapshot(stored, fields)
        record.first_name, record.birth_date, record.birth_year = (
            first_name,
            birth_date,
            birth_date.year,
        )
        save_versioned(record, expected_version=expected_version, fields=fields)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=record,
            changes=diff(before, snapshot(record, fields)),
        )
        return record


def child_record_renew(*, actor, case, previous):
    """Record a child of the parent's earlier (or other) case on ``case``: the same
    child afresh, its steps starting over; the earlier record stays with its case."""
    require(ChildRecord.objects.visible_to(actor, "view"), previous)
    if previous.parent_id != case.person_id or previous.case_id == case.pk:
        raise ValidationError(_("Barnet hör inte till förälderns andra ärenden."))
    if previous.is_expected:
        return child_record_add_expected(
            actor=actor,
            case=case,
            expected_month=previous.expected_month,
            custody=previous.custody,
            lives_with=previous.lives_with,
        )
    child = previous.child
    if child is not None and not Person.objects.visible_to(actor, "view").filter(pk=child.pk):
        child = None
    return child_record_add(
        actor=actor,
        case=case,
        child=child,
        first_name=previous.first_name,
        age=None if child else previous.age(),
        custody=previous.custody,
        lives_with=previous.lives_with,
        other_carers=previous.other_carers,
    )


def _actor_unit(actor, record):
    units = actor.units_with_role(*WORK_ROLES)
    if record.unit_id in units:
        return record.unit_id
    report = (
        ConcernReport.objects.filter(child_record=record, receiving_unit_id__in=units)
        .order_by("-received_on")
        .first()
    )
    return report.receiving_unit_id if report else None


def _check_child_information(errors, status, parent_talked_with, information, reason):
    """Validate the two parts of "attended"; returns the information and reason to
    store (a reason only with "not applicable")."""
    information, reason = information or "", (reason or "").strip()
    if information and information not in ChildInformation.values:
        errors["child_information"] = _("Välj om barnet har fått information.")
    if len(reason) > 300:
        errors["child_information_reason"] = _("Skriv högst 300 tecken om varför.")
    if information == ChildInformation.NOT_APPLICABLE and not reason:
        errors["child_information_reason"] = _(
            "Skriv varför information till barnet inte är tillämplig, t.ex. att barnet är "
            "nyfött eller inte fött än."
        )
    if status == ChildStatus.ATTENDED:
        if not parent_talked_with:
            errors["parent_talked_with"] = _(
                "Uppmärksammat betyder att du har pratat med föräldern om barnets situation "
                "och att barnet har fått information anpassad efter ålder. Bekräfta samtalet, "
                "eller vänta med steget."
            )
        if not information:
            errors["child_information"] = _(
                "Uppmärksammat räknas först när barnet också har fått information anpassad "
                "efter ålder. Ange det, eller ej tillämpligt med skäl (t.ex. ett spädbarn)."
            )
    if information != ChildInformation.NOT_APPLICABLE:
        reason = ""
    return information, reason


def child_record_step(
    *,
    actor,
    record,
    status,
    expected_version,
    on=None,
    note="",
    parent_talked_with=False,
    child_information="",
    child_information_reason="",
):
    """Move the child to the next step of the lifecycle (dated, by the actor).
    Attended (uppmärksammat) needs both parts: the parent talked with about the child,
    and the child given age-appropriate information, or that marked not applicable
    with a reason (an infant, a child not yet born)."""
    require(ChildRecord.objects.visible_to(actor, "change"), record)
    stored = ChildRecord._base_manager.get(pk=record.pk)
    on = on or _today()
    errors = {}
    allowed = stored.next_statuses()
    if status not in allowed:
        if not allowed:
            errors["status"] = _("Barnet har inget nästa steg: inget ytterligare behov.")
        else:
            errors["status"] = _("Från %(current)s kan barnet gå till: %(allowed)s.") % {
                "current": stored.get_status_display().lower(),
                "allowed": ", ".join(str(ChildStatus(s).label).lower() for s in allowed),
            }
    if on > _today():
        errors["on"] = _("Datumet kan inte ligga i framtiden.")
    elif on < stored.status_changed_on:
        errors["on"] = _("Datumet kan inte vara före förra steget (%(day)s).") % {
            "day": stored.status_changed_on
        }
    child_information, child_information_reason = _check_child_information(
        errors, status, parent_talked_with, child_information, child_information_reason
    )
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = _("Skriv högst 500 tecken i den korta anteckningen.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = snapshot(stored, ["status", "attended_on", "status_changed_on"])
        record.status = status
        record.status_changed_on = on
        fields = ["status", "status_changed_on"]
        if record.attended_on is None:
            record.attended_on = on
            fields.append("attended_on")
        save_versioned(record, expected_version=expected_version, fields=fields)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=record,
            changes=diff(before, snapshot(record, ["status", "attended_on", "status_changed_on"])),
        )
        step = ChildRecordStep.objects.create(
            municipality_id=record.municipality_id,
            record=record,
            status=status,
            on=on,
            by=actor,
            unit_id=_actor_unit(actor, record),
            note=note,
            parent_talked_with=bool(parent_talked_with),
            child_information=child_information,
            child_information_reason=child_information_reason,
        )
        audit_created(actor, step, STEP_FIELDS)
        return step


def child_flag_add(*, actor, record, kind, noted_on=None, note=""):
    require(ChildRecord.objects.visible_to(actor, "change"), record)
    noted_on = noted_on or _today()
    errors = {}
    _check_choice(errors, "kind", kind, FlagKind.values, _("Välj en markering i listan."))
    if noted_on > _today():
        errors["noted_on"] = _("Datumet kan inte ligga i framtiden.")
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = _("Skriv högst 300 tecken i den korta anteckningen.")
    if not errors and ChildFlag.objects.filter(record=record, kind=kind, ended_on__isnull=True):
        errors["kind"] = _("%(flag)s är redan markerat för barnet.") % {
            "flag": FlagKind(kind).label
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        flag = ChildFlag.objects.create(
            municipality_id=record.municipality_id,
            record=record,
            kind=kind,
            noted_on=noted_on,
            noted_by=actor,
            note=note,
        )
        return audit_created(actor, flag, FLAG_FIELDS)


def child_flag_end(*, actor, flag, expected_version, ended_on=None):
    require(ChildFlag.objects.visible_to(actor, "change"), flag)
    ended_on = ended_on or _today()
    stored = ChildFlag._base_manager.get(pk=flag.pk)
    if stored.ended_on is not None:
        raise ValidationError({"ended_on": _("Markeringen är redan avslutad.")})
    if ended_on > _today():
        raise ValidationError({"ended_on": _("Datumet kan inte ligga i framtiden.")})
    if ended_on < stored.noted_on:
        raise ValidationError(
            {
                "ended_on": _("Slutdatum kan inte vara före startdatum (%(day)s).")
                % {"day": stored.noted_on}
            }
        )
    with transaction.atomic():
        flag.ended_on = ended_on
        save_versioned(flag, expected_version=expected_version, fields=["ended_on"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=flag,
            changes={"ended_on": [None, str(ended_on)]},
        )
        return flag


# Concern reports ---------------------------------------------------------------------


def rule_for(code, day):
    """The DeadlineRule with ``code`` that holds on ``day``."""
    rules = [r for r in DeadlineRule.objects.filter(code=code) if r.is_valid_on(day)]
    if not rules:
        raise ValidationError(
            _("Det finns ingen frist för %(code)s. Kontakta systemförvaltaren.") % {"code": code}
        )
    return max(rules, key=lambda r: r.valid_from or datetime.date.min)


def receiving_units(municipality_id):
    return OrgUnit.objects.filter(
        municipality_id=municipality_id,
        kind=NodeKind.UNIT,
        unit_type=UnitType.CHILDREN_YOUTH,
        is_active=True,
    ).order_by("name")


def _check_receiving_unit(actor, unit):
    if unit is None or not receiving_units(actor.municipality_id).filter(pk=unit.pk).exists():
        raise ValidationError(
            {"receiving_unit": _("Välj en enhet för barn och ungdom som tar emot anmälan.")}
        )


def _start_clocks(report):
    rule = rule_for(DeadlineRule.PRE_ASSESSMENT, report.received_on)
    report.pre_assessment_rule = rule
    report.pre_assessment_due_on = rule.due(report.received_on)


def can_send_report(*, actor, record):
    """Internal reports are sent by those who may change a case of the parent."""
    return Case.objects.visible_to(actor, "change").filter(person_id=record.parent_id).exists()


def suggested_concern(*, actor, record):
    """The text an internal report starts from: what the child record says."""
    if record.is_expected:
        child = _("Väntat barn, beräknat %(month)s.") % {
            "month": record.expected_month.strftime("%Y-%m")
        }
    else:
        child = _("Barn: %(name)s, %(age)s år.") % {
            "name": record.display_name,
            "age": record.age(),
        }
    parts = [
        child,
        _("Förälder: %(name)s, aktuell i %(unit)s.")
        % {"name": record.parent.full_name, "unit": record.unit.name},
        _("Bor hos föräldern: %(lives)s. Vårdnad: %(custody)s.")
        % {
            "lives": record.get_lives_with_display().lower(),
            "custody": record.get_custody_display().lower(),
        },
    ]
    flags = ChildFlag.objects.filter(record=record, ended_on__isnull=True).order_by("noted_on")
    if flags:
        parts.append(
            _("Markeringar: %(flags)s.")
            % {"flags": ", ".join(f"{f.get_kind_display()} ({f.noted_on})" for f in flags)}
        )
    if record.other_carers:
        parts.append(_("Andra som tar hand om barnet: %(who)s.") % {"who": record.other_carers})
    return "\n".join(str(p) for p in parts)


def concern_report_send(*, actor, record, receiving_unit, concern, feedback_requested=False):
    """An internal concern report from the parent's unit about a child record."""
    require(ChildRecord.objects.visible_to(actor, "view"), record)
    if not can_send_report(actor=actor, record=record):
        raise PermissionDenied
    _check_receiving_unit(actor, receiving_unit)
    concern = (concern or "").strip()
    if not concern:
        raise ValidationError({"concern": _("Skriv vad du är orolig för.")})
    units = actor.units_with_role(*WORK_ROLES)
    reporting_unit_id = record.unit_id if record.unit_id in units else None
    if reporting_unit_id is None:
        case = (
            Case.objects.visible_to(actor, "change")
            .filter(person_id=record.parent_id, unit_id__in=units)
            .first()
        )
        reporting_unit_id = case.unit_id if case else record.unit_id
    with transaction.atomic():
        report = ConcernReport(
            municipality_id=record.municipality_id,
            source=ReportSource.INTERNAL,
            reporter_category=ReporterCategory.SOCIAL_SERVICES,
            reporting_unit_id=reporting_unit_id,
            reported_by=actor,
            child_record=record,
            child_id=record.child_id,
            child_name=str(record.display_name),
            child_birth_year=record.birth_year,
            receiving_unit=receiving_unit,
            received_on=_today(),
            concern=concern,
            feedback_requested=bool(feedback_requested),
            created_by=actor,
        )
        _start_clocks(report)
        report.save()
        return audit_created(actor, report, REPORT_FIELDS)


def concern_report_register(
    *,
    actor,
    receiving_unit,
    reporter_category,
    child_name,
    concern,
    received_on=None,
    child_age=None,
    child=None,
    reporter_name="",
    reporter_contact="",
    feedback_requested=False,
):
    """An external concern report, registered by the receiving unit."""
    if receiving_unit is None or receiving_unit.pk not in actor.units_with_role(*WORK_ROLES):
        raise PermissionDenied
    _check_receiving_unit(actor, receiving_unit)
    today = _today()
    received_on = received_on or today
    errors = {}
    if reporter_category not in [c.value for c in EXTERNAL_CATEGORIES]:
        errors["reporter_category"] = _(
            "Välj vem som har gjort anmälan (skola, polis, hälso- och sjukvård, förskola, "
            "annan eller anonym)."
        )
    if received_on > today:
        errors["received_on"] = _("Datumet då anmälan kom in kan inte ligga i framtiden.")
    child_name = (child_name or "").strip()
    if child is not None:
        require(Person.objects.visible_to(actor, "view"), child)
        child_name = child_name or child.full_name
    if not child_name:
        errors["child_name"] = _("Ange barnets namn (förnamn räcker).")
    birth_year = None
    if child is not None and (child.birth_date or child.approximate_birth_year):
        birth_year = child.birth_date.year if child.birth_date else child.approximate_birth_year
        if child.age(today) >= 18:
            errors["child"] = _("Personen är 18 år eller äldre. En orosanmälan gäller barn.")
    elif child_age not in (None, ""):
        child_age = int(child_age)
        if child_age >= 18:
            errors["child_age"] = _(
                "Barnet är %(age)s år. En orosanmälan gäller barn under 18 år."
            ) % {"age": child_age}
        elif child_age < 0:
            errors["child_age"] = _("Åldern kan inte vara negativ.")
        birth_year = today.year - child_age
    if not (concern or "").strip():
        errors["concern"] = _("Skriv vad anmälan gäller.")
    if reporter_category == ReporterCategory.ANONYMOUS:
        reporter_name, reporter_contact, feedback_requested = "", "", False
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = ConcernReport(
            municipality_id=actor.municipality_id,
            source=ReportSource.EXTERNAL,
            reporter_category=reporter_category,
            reporter_name=(reporter_name or "").strip(),
            reporter_contact=(reporter_contact or "").strip(),
            child=child,
            child_name=child_name,
            child_birth_year=birth_year,
            receiving_unit=receiving_unit,
            received_on=received_on,
            concern=concern.strip(),
            feedback_requested=bool(feedback_requested),
            created_by=actor,
            responsible=actor,
        )
        _start_clocks(report)
        report.save()
        return audit_created(actor, report, REPORT_FIELDS)


def _update_report(*, actor, report, expected_version, changes):
    before = snapshot(ConcernReport._base_manager.get(pk=report.pk), REPORT_FIELDS)
    for name, value in changes.items():
        setattr(report, name, value)
    save_versioned(report, expected_version=expected_version, fields=list(changes))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=report,
        changes=diff(before, snapshot(report, REPORT_FIELDS)),
    )
    return report


def concern_report_pre_assessment(
    *, actor, report, decision, decided_on, expected_version, note=""
):
    """Record the decision after the förhandsbedömning; opening an investigation starts
    its clock."""
    require(ConcernReport.objects.visible_to(actor, "change"), report)
    stored = ConcernReport._base_manager.get(pk=report.pk)
    errors = {}
    if stored.status != ReportStatus.RECEIVED:
        raise ValidationError(
            {
                "decision": _("Förhandsbedömningen är redan beslutad (%(day)s).")
                % {"day": stored.pre_assessment_decided_on}
            }
        )
    _check_choice(
        errors,
        "decision",
        decision,
        PreAssessmentDecision.values,
        _("Välj beslut: om utredning inleds eller inte."),
    )
    if decided_on is None:
        errors["decided_on"] = _("Ange beslutsdatum.")
    elif decided_on < stored.received_on:
        errors["decided_on"] = _(
            "Beslutsdatum kan inte vara före datumet då anmälan kom in (%(day)s)."
        ) % {"day": stored.received_on}
    elif decided_on > _today():
        errors["decided_on"] = _("Beslutsdatum kan inte ligga i framtiden.")
    if len(note or "") > 1000:
        errors["note"] = _("Skriv högst 1000 tecken i motiveringen.")
    if errors:
        raise ValidationError(errors)
    changes = {
        "pre_assessment_decision": decision,
        "pre_assessment_decided_on": decided_on,
        "pre_assessment_decided_by": actor,
        "decision_note": (note or "").strip(),
    }
    if decision == PreAssessmentDecision.OPEN_INVESTIGATION:
        rule = rule_for(DeadlineRule.INVESTIGATION, decided_on)
        changes.update(
            status=ReportStatus.INVESTIGATING,
            investigation_rule=rule,
            investigation_started_on=decided_on,
            investigation_due_on=rule.due(decided_on),
        )
    else:
        changes["status"] = ReportStatus.CLOSED
    changes.update(_feedback_clock(stored, decided_on))
    if report.responsible_id is None:
        changes["responsible"] = actor
    with transaction.atomic():
        return _update_report(
            actor=actor, report=report, expected_version=expected_version, changes=changes
        )


def _feedback_clock(report, decided_on):
    """The feedback clock starts with the decision when the reporter asked for
    feedback and is not anonymous (SoL 2025:400 19 kap. 6 §)."""
    if not report.feedback_requested or report.reporter_category == ReporterCategory.ANONYMOUS:
        return {}
    rule = rule_for(DeadlineRule.FEEDBACK, decided_on)
    return {"feedback_rule": rule, "feedback_due_on": rule.due(decided_on)}


def concern_report_feedback(*, actor, report, given_on, expected_version):
    """Record that the reporter got feedback (whether an investigation was opened):
    the date and the actor. Clears the feedback clock."""
    require(ConcernReport.objects.visible_to(actor, "change"), report)
    stored = ConcernReport._base_manager.get(pk=report.pk)
    if not stored.awaits_feedback:
        raise ValidationError({"given_on": _("Ingen återkoppling väntar för anmälan.")})
    if given_on is None:
        raise ValidationError({"given_on": _("Ange datum då anmälaren fick återkoppling.")})
    if given_on < stored.pre_assessment_decided_on:
        raise ValidationError(
            {
                "given_on": _("Återkopplingen kan inte vara före beslutet (%(day)s).")
                % {"day": stored.pre_assessment_decided_on}
            }
        )
    _not_future(given_on, "given_on", _("Datumet"))
    changes = {"feedback_given_on": given_on, "feedback_given_by": actor}
    with transaction.atomic():
        return _update_report(
            actor=actor, report=report, expected_version=expected_version, changes=changes
        )


def concern_report_complete_investigation(
    *, actor, report, outcome, completed_on, expected_version, note=""
):
    require(ConcernReport.objects.visible_to(actor, "change"), report)
    stored = ConcernReport._base_manager.get(pk=report.pk)
    if stored.status != ReportStatus.INVESTIGATING:
        raise ValidationError({"outcome": _("Ingen utredning pågår för anmälan.")})
    errors = {}
    _check_choice(
        errors,
        "outcome",
        outcome,
        InvestigationOutcome.values,
        _("Välj utredningens resultat."),
    )
    if completed_on is None:
        errors["completed_on"] = _("Ange datum då utredningen avslutades.")
    elif completed_on < stored.investigation_started_on:
        errors["completed_on"] = _("Utredningen kan inte avslutas före den inleddes (%(day)s).") % {
            "day": stored.investigation_started_on
        }
    elif completed_on > _today():
        errors["completed_on"] = _("Datumet kan inte ligga i framtiden.")
    if len(note or "") > 1000:
        errors["note"] = _("Skriv högst 1000 tecken i motiveringen.")
    if errors:
        raise ValidationError(errors)
    changes = {
        "status": ReportStatus.CLOSED,
        "investigation_outcome": outcome,
        "investigation_completed_on": completed_on,
        "investigation_completed_by": actor,
    }
    if note:
        changes["decision_note"] = note.strip()
    with transaction.atomic():
        return _update_report(
            actor=actor, report=report, expected_version=expected_version, changes=changes
        )


def concern_report_assign(*, actor, report, responsible, expected_version):
    """Give the report to a worker of the receiving unit."""
    require(ConcernReport.objects.visible_to(actor, "change"), report)
    from kinsight.cases.services import assignable_staff

    if responsible is not None and not (
        assignable_staff(report.receiving_unit).filter(pk=responsible.pk).exists()
    ):
        raise ValidationError({"responsible": _("Välj en handläggare i den mottagande enheten.")})
    with transaction.atomic():
        return _update_report(
            actor=actor,
            report=report,
            expected_version=expected_version,
            changes={"responsible": responsible},
        )


def open_q():
    return ~Q(status=ReportStatus.CLOSED)
