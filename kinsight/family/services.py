"""Writes to family work: each takes the acting user (keyword-only ``actor``), checks
that they may act, validates, writes and audits in one transaction."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_created, audit_record, snapshot
from kinsight.cases.models import Case
from kinsight.cases.services import assignable_staff
from kinsight.core.services import save_versioned
from kinsight.family import access, grants
from kinsight.family.models import (
    PARENT_ROLES,
    Consent,
    ConsentUnit,
    FamilyMeeting,
    FamilyMember,
    FamilyRole,
    FamilyWork,
    FamilyWorkStatus,
    FollowUpTask,
    LinkedCase,
    MeetingNote,
    MeetingParticipant,
    MeetingParticipantKind,
    Participant,
)
from kinsight.people.models import GrantReason, Person, RelationKind, Relationship

WORK_FIELDS = ["title", "status", "started_on", "ended_on", "from_case", "started_by"]
MEMBER_FIELDS = ["family_work", "person", "role", "ended_on"]
PARTICIPANT_FIELDS = ["family_work", "unit", "worker", "is_coordinator", "joined_on", "left_on"]
LINK_FIELDS = ["family_work", "participant", "case", "linked_by"]
CONSENT_FIELDS = [
    "family_work",
    "person",
    "given_by",
    "purpose",
    "all_units",
    "form",
    "given_on",
    "valid_from",
    "valid_to",
    "child_view",
    "recorded_by",
    "recorded_unit",
]
MEETING_FIELDS = ["family_work", "unit", "held_on", "place", "agenda", "created_by"]
NOTE_FIELDS = ["meeting", "author", "text", "corrects", "signed_at", "signed_by"]
TASK_FIELDS = [
    "family_work",
    "meeting",
    "title",
    "decision",
    "due_on",
    "responsible_unit",
    "responsible",
    "done_on",
    "outcome",
]


def _updated(actor, obj, changes):
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes)
    return obj


def _refuse_closed(family_work):
    if family_work.status == FamilyWorkStatus.CLOSED:
        raise ValidationError(_("Familjeärendet är avslutat och kan inte ändras."))


def _my_participant(actor, family_work):
    """The participant through which ``actor`` acts in ``family_work`` (403 if none):
    the coordinator first, then by unit id."""
    found = (
        access.participations(actor)
        .filter(family_work_id=family_work.pk)
        .order_by("-is_coordinator", "pk")
        .select_related("unit")
        .first()
    )
    if found is None:
        raise PermissionDenied
    return found


def _lock(family_work):
    """Serialise writes to one family work (members, participants, coordinator)."""
    return FamilyWork._base_manager.select_for_update().get(pk=family_work.pk)


def _check_worker(unit, worker, field="worker"):
    if worker is not None and not assignable_staff(unit).filter(pk=worker.pk).exists():
        raise ValidationError(
            {
                field: _("%(name)s arbetar inte i %(unit)s. Välj någon i enheten.")
                % {"name": worker, "unit": unit.name}
            }
        )


def _check_roles(roles):
    for role in PARENT_ROLES:
        if roles.count(role) > 1:
            raise ValidationError(
                {
                    "members": _("Bara en person kan vara %(role)s.")
                    % {"role": FamilyRole(role).label.lower()}
                }
            )


# Family work -------------------------------------------------------------------------


def family_work_start(*, actor, case, title, members, started_on=None):
    """Start family work from ``case``: the case's unit takes part as coordinator with
    the actor as contact, the case is linked, and ``members`` ([(person, role)], the
    case's person included) make up the family."""
    require(Case.objects.visible_to(actor, "change"), case)
    if case.is_closed:
        raise ValidationError(
            _("Ärendet är avslutat. Starta familjeärendet från ett öppet ärende.")
        )
    members = list(members)
    if not any(person.pk == case.person_id for person, _role in members):
        raise ValidationError(
            {"members": _("Personen i ärendet måste ingå i familjen. Välj en roll för personen.")}
        )
    if len({person.pk for person, _role in members}) != len(members):
        raise ValidationError({"members": _("En person kan bara ingå en gång.")})
    _check_roles([role for _person, role in members])
    visible = set(
        Person.objects.visible_to(actor, "view")
        .filter(pk__in=[p.pk for p, _r in members])
        .values_list("pk", flat=True)
    )
    if any(person.pk not in visible for person, _role in members):
        raise PermissionDenied
    if not (title or "").strip():
        raise ValidationError({"title": _("Ge familjeärendet en benämning, t.ex. Familjen A.")})
    with transaction.atomic():
        work = FamilyWork(
            municipality_id=actor.municipality_id,
            title=title.strip(),
            started_on=started_on or timezone.localdate(),
            from_case=case,
            started_by=actor,
        )
        work.full_clean()
        work.save()
        audit_created(actor, work, WORK_FIELDS)
        participant = Participant.objects.create(
            municipality_id=actor.municipality_id,
            family_work=work,
            unit=case.unit,
            worker=actor,
            is_coordinator=True,
            joined_on=work.started_on,
        )
        audit_created(actor, participant, PARTICIPANT_FIELDS)
        link = LinkedCase.objects.create(
            municipality_id=actor.municipality_id,
            family_work=work,
            participant=participant,
            case=case,
            linked_by=actor,
        )
        audit_created(actor, link, LINK_FIELDS)
        for person, role in members:
            member = FamilyMember.objects.create(
                municipality_id=actor.municipality_id, family_work=work, person=person, role=role
            )
            audit_created(actor, member, MEMBER_FIELDS)
        grants.work_grants_add(work)
        return work


def family_work_update(*, actor, family_work, expected_version, title):
    require(FamilyWork.objects.visible_to(actor, "change"), family_work)
    _refuse_closed(family_work)
    if not (title or "").strip():
        raise ValidationError({"title": _("Ge familjeärendet en benämning.")})
    with transaction.atomic():
        before = family_work.title
        family_work.title = title.strip()
        save_versioned(family_work, expected_version=expected_version, fields=["title"])
        return _updated(actor, family_work, {"title": [before, family_work.title]})


def family_work_close(*, actor, family_work, expected_version, ended_on=None):
    require(FamilyWork.objects.visible_to(actor, "change"), family_work)
    _refuse_closed(family_work)
    ended_on = ended_on or timezone.localdate()
    if ended_on < family_work.started_on:
        raise ValidationError({"ended_on": _("Slutdatum kan inte vara före startdatum.")})
    with transaction.atomic():
        family_work.status = FamilyWorkStatus.CLOSED
        family_work.ended_on = ended_on
        save_versioned(
            family_work, expected_version=expected_version, fields=["status", "ended_on"]
        )
        return _updated(
            actor,
            family_work,
            {"status": ["active", "closed"], "ended_on": [None, ended_on.isoformat()]},
        )


def member_add(*, actor, family_work, person, role):
    require(FamilyWork.objects.visible_to(actor, "change"), family_work)
    require(Person.objects.visible_to(actor, "view"), person)
    _refuse_closed(family_work)
    with transaction.atomic():
        _lock(family_work)
        existing = FamilyMember.objects.filter(family_work=family_work, person=person).first()
        if existing is not None and existing.ended_on is None:
            raise ValidationError({"person": _("Personen ingår redan i familjen.")})
        if role in PARENT_ROLES and (
            FamilyMember.objects.filter(family_work=family_work, role=role, ended_on__isnull=True)
            .exclude(person=person)
            .exists()
        ):
            raise ValidationError(
                {
                    "role": _("Familjen har redan en %(role)s. Avsluta den först.")
                    % {"role": FamilyRole(role).label.lower()}
                }
            )
        member = _member_join(actor, family_work, existing, person, role)
        grants.work_grants_add(family_work, person_ids=[person.pk])
        return member


def _member_join(actor, family_work, existing, person, role):
    """A new member row, or the ended one taken up again."""
    if existing is not None:
        before = snapshot(existing, ["role", "ended_on"])
        existing.role, existing.ended_on = role, None
        existing.save(update_fields=["role", "ended_on"])
        after = snapshot(existing, ["role", "ended_on"])
        return _updated(actor, existing, {k: [before[k], after[k]] for k in before})
    member = FamilyMember.objects.create(
        municipality_id=actor.municipality_id, family_work=family_work, person=person, role=role
    )
    return audit_created(actor, member, MEMBER_FIELDS)


def member_end(*, actor, member, ended_on=None):
    require(FamilyWork.objects.visible_to(actor, "change"), member.family_work)
    _refuse_closed(member.family_work)
    if member.ended_on is not None:
        raise ValidationError(_("Personen ingår redan inte i familjen."))
    with transaction.atomic():
        member.ended_on = ended_on or timezone.localdate()
        member.save(update_fields=["ended_on"])
        grants.grants_end(
            member.family_work, person_id=member.person_id, reason=GrantReason.FAMILY_WORK
        )
        return _updated(actor, member, {"ended_on": [None, member.ended_on.isoformat()]})


# Participants and linked cases -------------------------------------------------------


def participant_add(*, actor, family_work, unit, worker=None):
    """The coordinator brings in another unit (again, if it had left)."""
    require(FamilyWork.objects.visible_to(actor, "change"), family_work)
    _refuse_closed(family_work)
    if unit.municipality_id != actor.municipality_id or unit.kind != "unit":
        raise ValidationError({"unit": _("Välj en enhet i din egen kommun.")})
    _check_worker(unit, worker)
    with transaction.atomic():
        _lock(family_work)
        participant = _participant_join(actor, family_work, unit, worker)
        grants.work_grants_add(family_work, unit_ids=[unit.pk])
        grants.consent_grants_add(family_work, unit_ids=[unit.pk])
        return participant


def _participant_join(actor, family_work, unit, worker):
    """A new participant row, or the one of a unit that had left taken up again."""
    existing = Participant.objects.filter(family_work=family_work, unit=unit).first()
    if existing is not None:
        if existing.left_on is None:
            raise ValidationError({"unit": _("Enheten deltar redan.")})
        before = snapshot(existing, ["left_on", "worker", "joined_on"])
        existing.left_on = None
        existing.worker = worker
        existing.joined_on = timezone.localdate()
        existing.save(update_fields=["left_on", "worker", "joined_on"])
        after = snapshot(existing, ["left_on", "worker", "joined_on"])
        return _updated(actor, existing, {k: [before[k], after[k]] for k in before})
    participant = Participant.objects.create(
        municipality_id=actor.municipality_id, family_work=family_work, unit=unit, worker=worker
    )
    return audit_created(actor, participant, PARTICIPANT_FIELDS)


def participant_update(*, actor, participant, worker):
    """Change a unit's contact worker: the coordinator, or the unit itself."""
    own = participant.unit_id in access.work_unit_ids(actor)
    if not own:
        require(Participant.objects.visible_to(actor, "change"), participant)
    _refuse_closed(participant.family_work)
    _check_worker(participant.unit, worker)
    with transaction.atomic():
        before = participant.worker_id
        participant.worker = worker
        participant.save(update_fields=["worker"])
        return _updated(actor, participant, {"worker": [before, getattr(worker, "pk", None)]})


def participant_leave(*, actor, participant, left_on=None):
    require(Participant.objects.visible_to(actor, "change"), participant)
    _refuse_closed(participant.family_work)
    if participant.is_coordinator:
        raise ValidationError(
            _("Samordnande enhet kan inte lämna. Gör en annan enhet till samordnare först.")
        )
    if participant.left_on is not None:
        raise ValidationError(_("Enheten har redan lämnat familjeärendet."))
    with transaction.atomic():
        participant.left_on = left_on or timezone.localdate()
        participant.save(update_fields=["left_on"])
        grants.grants_end(participant.family_work, unit_id=participant.unit_id)
        return _updated(actor, participant, {"left_on": [None, participant.left_on.isoformat()]})


def coordinator_set(*, actor, participant):
    """Hand the coordinator role to another current participant."""
    family_work = participant.family_work
    require(FamilyWork.objects.visible_to(actor, "change"), family_work)
    _refuse_closed(family_work)
    if participant.left_on is not None:
        raise ValidationError(_("Enheten har lämnat familjeärendet och kan inte samordna."))
    if participant.is_coordinator:
        return participant
    with transaction.atomic():
        _lock(family_work)
        for old in Participant.objects.filter(family_work=family_work, is_coordinator=True):
            old.is_coordinator = False
            old.save(update_fields=["is_coordinator"])
            _updated(actor, old, {"is_coordinator": [True, False]})
        participant.is_coordinator = True
        participant.save(update_fields=["is_coordinator"])
        return _updated(actor, participant, {"is_coordinator": [False, True]})


def case_link(*, actor, family_work, case):
    """A participating unit links its own case of a family member."""
    require(FamilyWork.objects.visible_to(actor, "view"), family_work)
    require(Case.objects.visible_to(actor, "view"), case)
    _refuse_closed(family_work)
    participant = Participant.objects.filter(
        family_work=family_work, unit_id=case.unit_id, left_on__isnull=True
    ).first()
    if participant is None or participant.pk not in set(
        access.participations(actor).values_list("pk", flat=True)
    ):
        raise ValidationError(
            {
                "case": _(
                    "Ärendets enhet deltar inte i familjeärendet. Be samordnaren lägga till den."
                )
            }
        )
    if not FamilyMember.objects.filter(
        family_work=family_work, person_id=case.person_id, ended_on__isnull=True
    ).exists():
        raise ValidationError({"case": _("Ärendets person ingår inte i familjen.")})
    if LinkedCase.objects.filter(family_work=family_work, case=case).exists():
        raise ValidationError({"case": _("Ärendet är redan kopplat.")})
    with transaction.atomic():
        link = LinkedCase.objects.create(
            municipality_id=actor.municipality_id,
            family_work=family_work,
            participant=participant,
            case=case,
            linked_by=actor,
        )
        return audit_created(actor, link, LINK_FIELDS)


def case_unlink(*, actor, link):
    require(LinkedCase.objects.visible_to(actor, "change"), link)
    _refuse_closed(link.family_work)
    if link.family_work.from_case_id == link.case_id:
        raise ValidationError(_("Ärendet som familjeärendet startades från kan inte kopplas bort."))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=link,
            changes={"case": [link.case_id, None], "family_work": [link.family_work_id, None]},
        )
        link.delete()


# Consent -------------------------------------------------------------------------------


def _is_guardian(guardian, child, on):
    return (
        Relationship.objects.filter(
            from_person=guardian, to_person=child, kind=RelationKind.GUARDIAN
        )
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .exists()
    )


def consent_record(
    *,
    actor,
    family_work,
    person,
    purpose,
    form,
    given_on=None,
    valid_from=None,
    valid_to=None,
    all_units=False,
    units=(),
    given_by=None,
    child_view="",
    child_view_text="",
    note="",
):
    """Record a consent from (or for) a family member. For a child, ``given_by`` is a
    guardian (required) and the child's own view may be recorded from
    settings.KINSIGHT_CHILD_VIEW_AGE."""
    require(FamilyWork.objects.visible_to(actor, "view"), family_work)
    participant = _my_participant(actor, family_work)
    _refuse_closed(family_work)
    today = timezone.localdate()
    given_on = given_on or today
    valid_from = valid_from or given_on
    units = list(units)
    errors = {}
    if not FamilyMember.objects.filter(
        family_work=family_work, person=person, ended_on__isnull=True
    ).exists():
        errors["person"] = _("Personen ingår inte i familjen.")
    if given_on > today:
        errors["given_on"] = _("Datum då samtycket lämnades kan inte vara i framtiden.")
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _(
            "Samtycket kan inte upphöra före det börjar gälla. Ändra till-datum eller från-datum."
        )
    age = person.age(today)
    is_child = age is not None and age < 18
    if given_by is not None and given_by.pk == person.pk:
        given_by = None
    if is_child:
        if given_by is None:
            errors["given_by"] = _(
                "Ett samtycke för ett barn lämnas av en vårdnadshavare. Välj vem."
            )
        elif not _is_guardian(given_by, person, today):
            errors["given_by"] = _("%(name)s är inte vårdnadshavare för %(child)s.") % {
                "name": given_by,
                "child": person,
            }
        if (child_view or child_view_text.strip()) and age < settings.KINSIGHT_CHILD_VIEW_AGE:
            errors["child_view"] = _(
                "Barnets egen uppfattning registreras från %(age)s års ålder; %(name)s är %(now)s."
            ) % {"age": settings.KINSIGHT_CHILD_VIEW_AGE, "name": person, "now": age}
    else:
        if given_by is not None:
            errors["given_by"] = _("En vuxen lämnar samtycket själv. Lämna fältet tomt.")
        if child_view or child_view_text.strip():
            errors["child_view"] = _("Barnets uppfattning gäller bara samtycken för barn.")
    current_units = set(
        Participant.objects.filter(family_work=family_work, left_on__isnull=True).values_list(
            "unit_id", flat=True
        )
    )
    if not all_units and not units:
        errors["units"] = _("Välj vilka enheter samtycket gäller, eller alla deltagande enheter.")
    if any(unit.pk not in current_units for unit in units):
        errors["units"] = _("Samtycket kan bara gälla enheter som deltar i familjeärendet.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = Consent(
            municipality_id=actor.municipality_id,
            family_work=family_work,
            person=person,
            given_by=given_by,
            purpose=purpose,
            all_units=all_units,
            form=form,
            given_on=given_on,
            valid_from=valid_from,
            valid_to=valid_to,
            child_view=child_view or "",
            child_view_text=child_view_text or "",
            note=note or "",
            recorded_by=actor,
            recorded_unit=participant.unit,
        )
        consent.full_clean()
        consent.save()
        for unit in units:
            ConsentUnit.objects.create(
                municipality_id=actor.municipality_id, consent=consent, unit=unit
            )
        grants.consent_grants_add(family_work, consent=consent)
        return audit_created(
            actor, consent, CONSENT_FIELDS, units=sorted(unit.pk for unit in units)
        )


def consent_withdraw(*, actor, consent, reason, withdrawn_on=None):
    """Record a withdrawal: the consent stops covering anyone from the next request."""
    require(Consent.objects.visible_to(actor, "change"), consent)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("Samtycket är redan återkallat."))
    withdrawn_on = withdrawn_on or timezone.localdate()
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Skriv varför samtycket återkallas, t.ex. personens egna ord.")
    if withdrawn_on > timezone.localdate():
        errors["withdrawn_on"] = _(
            "En återkallelse gäller från i dag; datumet kan inte vara senare."
        )
    elif withdrawn_on < consent.given_on:
        errors["withdrawn_on"] = _("Återkallelsen kan inte vara före samtycket lämnades.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = Consent._base_manager.select_for_update().get(pk=consent.pk)
        if stored.withdrawn_on is not None:
            raise ValidationError(_("Samtycket är redan återkallat."))
        consent.withdrawn_on = withdrawn_on
        consent.withdrawal_reason = reason.strip()
        consent.withdrawn_by = actor
        save_versioned(
            consent,
            expected_version=stored.version,
            fields=["withdrawn_on", "withdrawal_reason", "withdrawn_by"],
        )
        grants.grants_end(consent.family_work, consent_id=consent.pk)
        return _updated(
            actor,
            consent,
            {
                "withdrawn_on": [None, withdrawn_on.isoformat()],
                "withdrawal_reason": ["", consent.withdrawal_reason],
                "withdrawn_by": [None, actor.pk],
            },
        )


# Meetings --------------------------------------------------------------------------------


def meeting_create(
    *, actor, family_work, held_on, place="", agenda="", members=(), staff=(), externals=()
):
    """A meeting held by the actor's participating unit. ``members``: Persons of the
    family; ``staff``: Users of participating units; ``externals``: text lines."""
    require(FamilyWork.objects.visible_to(actor, "view"), family_work)
    participant = _my_participant(actor, family_work)
    _refuse_closed(family_work)
    members, staff = list(members), list(staff)
    externals = [line.strip() for line in externals if line and line.strip()]
    member_ids = set(
        FamilyMember.objects.filter(family_work=family_work, ended_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    errors = {}
    if any(person.pk not in member_ids for person in members):
        errors["members"] = _("Välj bara personer som ingår i familjen.")
    units = {
        p.unit_id: p.unit
        for p in Participant.objects.filter(
            family_work=family_work, left_on__isnull=True
        ).select_related("unit")
    }
    staff_units = {}
    for user in staff:
        unit_id = next((u for u in user.units_with_role(*access.WORK_ROLES) if u in units), None)
        if unit_id is None:
            errors["staff"] = _("%(name)s arbetar inte i någon deltagande enhet.") % {"name": user}
            break
        staff_units[user.pk] = unit_id
    if held_on is None:
        errors["held_on"] = _("Ange datum för mötet.")
    elif held_on < family_work.started_on:
        errors["held_on"] = _("Mötet kan inte vara före familjeärendet startade.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = FamilyMeeting.objects.create(
            municipality_id=actor.municipality_id,
            family_work=family_work,
            unit=participant.unit,
            held_on=held_on,
            place=place or "",
            agenda=agenda or "",
            created_by=actor,
        )
        rows = [
            MeetingParticipant(
                municipality_id=actor.municipality_id,
                meeting=meeting,
                kind=MeetingParticipantKind.MEMBER,
                person=person,
            )
            for person in members
        ]
        rows += [
            MeetingParticipant(
                municipality_id=actor.municipality_id,
                meeting=meeting,
                kind=MeetingParticipantKind.STAFF,
                unit_id=staff_units[user.pk],
                user=user,
            )
            for user in staff
        ]
        rows += [
            MeetingParticipant(
                municipality_id=actor.municipality_id,
                meeting=meeting,
                kind=MeetingParticipantKind.EXTERNAL,
                external=line[:200],
            )
            for line in externals
        ]
        MeetingParticipant.objects.bulk_create(rows)
        return audit_created(
            actor,
            meeting,
            MEETING_FIELDS,
            members=[p.pk for p in members],
            staff=[u.pk for u in staff],
            externals=len(externals),
        )


def meeting_update(*, actor, meeting, expected_version, held_on, place, agenda):
    require(FamilyMeeting.objects.visible_to(actor, "change"), meeting)
    _refuse_closed(meeting.family_work)
    if held_on < meeting.family_work.started_on:
        raise ValidationError({"held_on": _("Mötet kan inte vara före familjeärendet startade.")})
    with transaction.atomic():
        before = snapshot(
            FamilyMeeting._base_manager.get(pk=meeting.pk), ["held_on", "place", "agenda"]
        )
        meeting.held_on, meeting.place, meeting.agenda = held_on, place or "", agenda or ""
        save_versioned(
            meeting, expected_version=expected_version, fields=["held_on", "place", "agenda"]
        )
        after = snapshot(meeting, ["held_on", "place", "agenda"])
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if "agenda" in changes:
            changes["agenda"] = [len(before["agenda"]), len(after["agenda"])]
        return _updated(actor, meeting, changes)


def minutes_create(*, actor, meeting, text="", corrects=None):
    """A new draft of minutes (a correction when ``corrects`` is a signed note)."""
    require(FamilyMeeting.objects.visible_to(actor, "change"), meeting)
    if corrects is not None:
        require(MeetingNote.objects.visible_to(actor, "view"), corrects)
        if corrects.meeting_id != meeting.pk or not corrects.is_signed:
            raise ValidationError(_("Bara ett signerat protokoll från samma möte kan rättas."))
    with transaction.atomic():
        note = MeetingNote.objects.create(
            municipality_id=actor.municipality_id,
            meeting=meeting,
            author=actor,
            text=text or "",
            corrects=corrects,
        )
        return audit_created(actor, note, NOTE_FIELDS)


def _refuse_signed(note):
    if note.is_signed:
        raise ValidationError(
            {
                "text": _(
                    "Protokollet är signerat och kan inte ändras. Din text finns kvar i rutan: "
                    "skriv en rättelse i stället."
                )
            }
        )


def minutes_save(*, actor, note, text, expected_version):
    stored = MeetingNote._base_manager.get(pk=note.pk)
    _refuse_signed(stored)
    require(MeetingNote.objects.visible_to(actor, "change"), note)
    with transaction.atomic():
        before = stored.text
        note.text = text or ""
        note.updated_at = timezone.now()
        save_versioned(note, expected_version=expected_version, fields=["text", "updated_at"])
        return _updated(actor, note, {"text": [len(before), len(note.text)]})


def minutes_sign(*, actor, note, text, expected_version):
    """Save the final text and sign: from now on the minutes never change."""
    stored = MeetingNote._base_manager.get(pk=note.pk)
    _refuse_signed(stored)
    require(MeetingNote.objects.visible_to(actor, "change"), note)
    if not (text or "").strip():
        raise ValidationError({"text": _("Ett tomt protokoll kan inte signeras. Skriv texten.")})
    with transaction.atomic():
        note.text = text
        note.updated_at = note.signed_at = timezone.now()
        note.signed_by = actor
        save_versioned(
            note,
            expected_version=expected_version,
            fields=["text", "updated_at", "signed_at", "signed_by"],
        )
        return _updated(
            actor,
            note,
            {
                "text": [len(stored.text), len(note.text)],
                "signed_at": [None, note.signed_at.isoformat()],
                "signed_by": [None, actor.pk],
            },
        )


# Follow-up tasks -------------------------------------------------------------------------


def task_create(
    *,
    actor,
    family_work,
    title,
    due_on,
    responsible_unit,
    responsible=None,
    decision="",
    meeting=None,
):
    require(FamilyWork.objects.visible_to(actor, "view"), family_work)
    _my_participant(actor, family_work)
    _refuse_closed(family_work)
    if meeting is not None:
        require(FamilyMeeting.objects.visible_to(actor, "view"), meeting)
        if meeting.family_work_id != family_work.pk:
            raise PermissionDenied
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Skriv vad som ska göras.")
    if due_on is None:
        errors["due_on"] = _("Ange när uppgiften ska vara klar.")
    if not Participant.objects.filter(
        family_work=family_work, unit=responsible_unit, left_on__isnull=True
    ).exists():
        errors["responsible_unit"] = _("Välj en enhet som deltar i familjeärendet.")
    elif (
        responsible is not None
        and not assignable_staff(responsible_unit).filter(pk=responsible.pk).exists()
    ):
        errors["responsible"] = _("%(name)s arbetar inte i %(unit)s.") % {
            "name": responsible,
            "unit": responsible_unit,
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        task = FollowUpTask.objects.create(
            municipality_id=actor.municipality_id,
            family_work=family_work,
            meeting=meeting,
            title=title.strip(),
            decision=decision or "",
            due_on=due_on,
            responsible_unit=responsible_unit,
            responsible=responsible,
            created_by=actor,
        )
        return audit_created(actor, task, TASK_FIELDS)


def task_complete(*, actor, task, expected_version, outcome="", done_on=None):
    require(FollowUpTask.objects.visible_to(actor, "change"), task)
    if task.done_on is not None:
        raise ValidationError(_("Uppgiften är redan klar."))
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("En uppgift kan inte bli klar i framtiden.")})
    with transaction.atomic():
        task.done_on, task.done_by, task.outcome = done_on, actor, outcome or ""
        save_versioned(
            task, expected_version=expected_version, fields=["done_on", "done_by", "outcome"]
        )
        return _updated(
            actor, task, {"done_on": [None, done_on.isoformat()], "done_by": [None, actor.pk]}
        )
