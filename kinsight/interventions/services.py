"""Writes for the catalogue, family plans, referrals and placements. Each function
takes the acting user, checks that they may act, validates (Swedish messages on the
field), writes and audits in one transaction; nothing is half-saved."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import require, require_administrator
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_created, audit_record, diff, snapshot
from kinsight.core.models import NodeKind
from kinsight.core.versioning import NOT_YET_SAVED, StaleEdit, VersionMissing, save_versioned
from kinsight.family.access import (
    consent_covers_unit,
    coordinated_work_ids,
    in_force_q,
    participations,
    unit_takes_part,
    user_takes_part,
    work_unit_ids,
)
from kinsight.family.models import (
    PARENT_ROLES,
    Consent,
    ConsentPurpose,
    FamilyMember,
    FamilyRole,
    FamilyWork,
    PerspectiveKind,
)
from kinsight.interventions.examples import EXAMPLES
from kinsight.interventions.models import (
    REFERRAL_TRANSITIONS,
    ContactEvent,
    ContactPlan,
    ContactStatus,
    FamilyPlan,
    Intervention,
    Outcome,
    Placement,
    PlacementKind,
    PlanFollowUp,
    PlanGoal,
    PlanIntervention,
    PlanRevision,
    ProviderKind,
    Referral,
    ReferralStatus,
    ReferralStep,
)

INTERVENTION_FIELDS = [
    "name",
    "target",
    "provider_kind",
    "provider_unit",
    "provider_name",
    "provider_contact",
    "min_age",
    "max_age",
    "format",
    "evidence_level",
    "code",
    "description",
    "is_active",
]
GOAL_FIELDS = ["plan", "perspective_key", "text"]
PLAN_INTERVENTION_FIELDS = [
    "plan",
    "goal",
    "intervention",
    "responsible_unit",
    "responsible",
    "start_on",
    "end_on",
]
PLAN_INTERVENTION_EDIT_FIELDS = ["responsible_unit", "responsible", "start_on", "end_on", "note"]
FOLLOW_UP_FIELDS = ["plan_intervention", "due_on", "outcome", "outcome_on"]
# The content of a referral (its reason, notes) is never copied into the audit log.
REFERRAL_FIELDS = [
    "family_work",
    "person",
    "intervention",
    "plan_intervention",
    "from_unit",
    "to_unit",
    "external_provider",
    "consent",
    "status",
    "sent_on",
]
PLACEMENT_FIELDS = [
    "family_work",
    "child",
    "kind",
    "responsible_unit",
    "start_on",
    "end_on",
]
CONTACT_PLAN_FIELDS = ["placement", "parent", "frequency"]
CONTACT_EVENT_FIELDS = ["contact_plan", "on", "status"]


def _today():
    return timezone.localdate()


def _not_future(day, field, label):
    if day and day > _today():
        raise ValidationError(
            {field: _("%(label)s kan inte ligga i framtiden.") % {"label": label}}
        )


def _ordered(start, end, field="end_on"):
    if start and end and end < start:
        raise ValidationError({field: _("Slutdatum kan inte vara före startdatum.")})


def _own_unit(actor, unit, field):
    if unit is not None and (
        unit.municipality_id != actor.municipality_id or unit.kind != NodeKind.UNIT
    ):
        raise ValidationError({field: _("Välj en enhet i din egen kommun.")})


def _require_taking_part(family_work, unit, worker=None):
    """A plan intervention or a placement shows its responsible unit (and worker) the
    family member's name and the family's context: only a unit taking part in the
    family work may be given one; it then sees what the consents allow. A unit
    outside gets a family member's data only by a referral with consent."""
    if unit is not None and not unit_takes_part(family_work=family_work, unit=unit):
        raise ValidationError(
            {
                "responsible_unit": _(
                    "Enheten deltar inte i familjeärendet och saknar samtycke för remiss. "
                    "Lägg till enheten som deltagare eller skicka en remiss med samtycke."
                )
            }
        )
    if worker is not None and not user_takes_part(family_work=family_work, user=worker):
        raise ValidationError(
            {
                "responsible": _(
                    "%(name)s deltar inte i familjeärendet. Välj en handläggare i en "
                    "deltagande enhet."
                )
                % {"name": worker}
            }
        )


def _refuse_closed(family_work):
    if family_work.is_closed:
        raise ValidationError(_("Familjeärendet är avslutat och kan inte ändras."))


# The catalogue ------------------------------------------------------------------------


def _check_intervention(actor, intervention):
    errors = {}
    if (
        intervention.min_age is not None
        and intervention.max_age is not None
        and intervention.min_age > intervention.max_age
    ):
        errors["max_age"] = _("Åldern till kan inte vara lägre än åldern från.")
    if intervention.provider_kind == ProviderKind.EXTERNAL:
        if not intervention.provider_name.strip():
            errors["provider_name"] = _("Skriv namnet på den externa utföraren.")
        intervention.provider_unit = None
    else:
        intervention.provider_name = ""
    if errors:
        raise ValidationError(errors)
    _own_unit(actor, intervention.provider_unit, "provider_unit")
    duplicate = Intervention.objects.filter(
        municipality_id=actor.municipality_id, name__iexact=intervention.name.strip()
    ).exclude(pk=intervention.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("Det finns redan en insats med det namnet.")})
    intervention.name = intervention.name.strip()


def intervention_create(*, actor, **data):
    """A new catalogue intervention (administrators)."""
    require_administrator(actor)
    with transaction.atomic():
        intervention = Intervention(municipality_id=actor.municipality_id)
        for name in INTERVENTION_FIELDS:
            if name in data:
                setattr(intervention, name, data[name])
        _check_intervention(actor, intervention)
        intervention.full_clean()
        intervention.save()
        return audit_created(actor, intervention, INTERVENTION_FIELDS)


def intervention_update(*, actor, intervention, expected_version, data):
    require(Intervention.objects.visible_to(actor, "change"), intervention)
    with transaction.atomic():
        stored = Intervention.objects.get(pk=intervention.pk)
        before = snapshot(stored, INTERVENTION_FIELDS)
        for name in INTERVENTION_FIELDS:
            if name in data:
                setattr(intervention, name, data[name])
        _check_intervention(actor, intervention)
        intervention.full_clean(validate_unique=False)
        save_versioned(intervention, expected_version=expected_version, fields=INTERVENTION_FIELDS)
        changes = diff(before, snapshot(intervention, INTERVENTION_FIELDS))
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=intervention, changes=changes)
        return intervention


def examples_add(*, actor, municipality=None):
    """Add the seed's examples missing from the municipality's catalogue (by name).
    ``actor`` None: the demo generator (audited without an actor)."""
    if actor is not None:
        require_administrator(actor)
        municipality_id = actor.municipality_id
    else:
        municipality_id = municipality.pk
    with transaction.atomic():
        existing = {
            name.lower()
            for name in Intervention.objects.filter(municipality_id=municipality_id).values_list(
                "name", flat=True
            )
        }
        made = Intervention.objects.bulk_create(
            [
                Intervention(municipality_id=municipality_id, is_example=True, **example)
                for example in EXAMPLES
                if example["name"].lower() not in existing
            ]
        )
        if made:
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                municipality_id=municipality_id,
                object_type="interventions.intervention",
                object_id="*",
                changes={"examples": [example.name for example in made]},
            )
        return made


# Family plan --------------------------------------------------------------------------


def plan_snapshot(plan):
    """The whole plan as data: goals with their interventions and follow-ups."""
    interventions = {}
    for item in (
        PlanIntervention.objects.filter(plan=plan)
        .select_related("intervention", "responsible_unit", "responsible")
        .prefetch_related("follow_ups")
        .order_by("start_on", "pk")
    ):
        interventions.setdefault(item.goal_id, []).append(
            {
                "id": item.pk,
                "intervention": item.intervention.name,
                "responsible_unit": item.responsible_unit.name,
                "responsible": str(item.responsible) if item.responsible_id else "",
                "start_on": item.start_on.isoformat(),
                "end_on": item.end_on.isoformat() if item.end_on else None,
                "note": item.note,
                "follow_ups": [
                    {
                        "due_on": f.due_on.isoformat(),
                        "outcome": f.get_outcome_display() if f.outcome else "",
                        "outcome_on": f.outcome_on.isoformat() if f.outcome_on else None,
                        "note": f.note,
                    }
                    for f in sorted(item.follow_ups.all(), key=lambda f: (f.due_on, f.pk))
                ],
            }
        )
    return {
        "goals": [
            {
                "id": goal.pk,
                "perspective_key": goal.perspective_key,
                "perspective": goal.perspective_label,
                "text": goal.text,
                "interventions": interventions.get(goal.pk, []),
            }
            for goal in PlanGoal.objects.filter(plan=plan).order_by("pk")
        ]
    }


def _plan_locked(actor, family_work):
    """The work's plan (made at its first change, at version NOT_YET_SAVED), locked
    for a change whose own row carries the version check (an intervention, a goal, a
    follow-up)."""
    plan = FamilyPlan.objects.select_for_update().filter(family_work=family_work).first()
    if plan is None:
        plan = FamilyPlan.objects.create(
            municipality_id=family_work.municipality_id,
            family_work=family_work,
            created_by=actor,
            updated_by=actor,
            version=NOT_YET_SAVED,
        )
        audit_created(actor, plan, ["family_work"])
    return plan


def _plan_for_change(actor, family_work, expected_version):
    """The plan, locked, checked against the plan version the addition started from
    (required: NOT_YET_SAVED when the page showed no plan)."""
    if expected_version is None:
        raise VersionMissing
    plan = _plan_locked(actor, family_work)
    if expected_version != plan.version:
        raise StaleEdit(StaleEdit.message)
    return plan


def _revise(actor, plan, summary):
    """Every change of the plan: a new version and its revision (a full snapshot)."""
    plan.updated_by = actor
    plan.updated_at = timezone.now()
    save_versioned(plan, expected_version=plan.version, fields=["updated_by", "updated_at"])
    revision = PlanRevision.objects.create(
        municipality_id=plan.municipality_id,
        plan=plan,
        version=plan.version,
        saved_by=actor,
        summary=summary[:300],
        snapshot=plan_snapshot(plan),
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=plan,
        changes={"version": [plan.version - 1, plan.version], "revision": [None, revision.pk]},
    )
    return revision


def _require_coordinator(actor, family_work):
    if not FamilyWork.objects.filter(
        pk=family_work.pk,
        municipality_id=actor.municipality_id,
        pk__in=coordinated_work_ids(actor),
    ).exists():
        raise PermissionDenied


def perspective_error(family_work, key):
    """A clear message why ``key`` is not a perspective of the family now, or None."""
    perspectives = family_work.perspectives()
    if key in {p.key for p in perspectives}:
        return None
    kind = (key or "").split(":")[0]
    if kind == PerspectiveKind.COUPLE:
        return _(
            "Familjen har inte två föräldrar i familjeärendet, så det finns ingen "
            "parrelation att sätta mål för. Välj ett av familjens perspektiv."
        )
    labels = ", ".join(str(p.label) for p in perspectives)
    return _(
        "Perspektivet finns inte i familjen just nu (personen ingår inte eller har en "
        "annan roll). Välj ett av familjens perspektiv: %(labels)s."
    ) % {"labels": labels}


def goal_add(*, actor, family_work, perspective_key, text, expected_version):
    """A goal for one of the family's current perspectives (coordinator)."""
    _require_coordinator(actor, family_work)
    _refuse_closed(family_work)
    text = (text or "").strip()
    errors = {}
    message = perspective_error(family_work, perspective_key)
    if message:
        errors["perspective_key"] = message
    if not text:
        errors["text"] = _("Skriv målet.")
    if errors:
        raise ValidationError(errors)
    label = next(p.label for p in family_work.perspectives() if p.key == perspective_key)
    with transaction.atomic():
        plan = _plan_for_change(actor, family_work, expected_version)
        goal = PlanGoal.objects.create(
            municipality_id=family_work.municipality_id,
            plan=plan,
            perspective_key=perspective_key,
            perspective_label=str(label)[:300],
            text=text,
            created_by=actor,
        )
        audit_created(actor, goal, GOAL_FIELDS)
        _revise(actor, plan, _("Mål tillagt: %(label)s") % {"label": label})
        return goal


def goal_update(*, actor, goal, expected_version, text):
    require(PlanGoal.objects.visible_to(actor, "change"), goal)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv målet.")})
    with transaction.atomic():
        plan = _plan_locked(actor, goal.plan.family_work)
        before = snapshot(goal, ["text"])
        goal.text = text
        save_versioned(goal, expected_version=expected_version, fields=["text"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=goal,
            changes=diff(before, snapshot(goal, ["text"])),
        )
        _revise(actor, plan, _("Mål ändrat: %(label)s") % {"label": goal.perspective_label})
        return goal


def _check_plan_intervention(
    actor, *, family_work, start_on, end_on, responsible_unit, responsible
):
    errors = {}
    if start_on is None:
        errors["start_on"] = _("Ange startdatum.")
    if responsible_unit is None:
        errors["responsible_unit"] = _("Välj ansvarig enhet.")
    if errors:
        raise ValidationError(errors)
    _ordered(start_on, end_on)
    _own_unit(actor, responsible_unit, "responsible_unit")
    if responsible is not None and responsible.municipality_id != actor.municipality_id:
        raise ValidationError({"responsible": _("Välj en handläggare i din egen kommun.")})
    _require_taking_part(family_work, responsible_unit, responsible)


def plan_intervention_add(
    *,
    actor,
    family_work,
    goal,
    intervention,
    responsible_unit,
    start_on,
    end_on=None,
    responsible=None,
    note="",
    follow_up_dates=(),
    expected_version,
):
    """An intervention of the catalogue towards a goal of the plan (coordinator), with
    its follow-up dates."""
    _require_coordinator(actor, family_work)
    _refuse_closed(family_work)
    if goal is None or goal.plan.family_work_id != family_work.pk:
        raise ValidationError({"goal": _("Välj ett av planens mål.")})
    if intervention is None or intervention.municipality_id != actor.municipality_id:
        raise ValidationError({"intervention": _("Välj en insats ur katalogen.")})
    if not intervention.is_active:
        raise ValidationError({"intervention": _("Insatsen erbjuds inte längre.")})
    _check_plan_intervention(
        actor,
        family_work=family_work,
        start_on=start_on,
        end_on=end_on,
        responsible_unit=responsible_unit,
        responsible=responsible,
    )
    dates = sorted(set(follow_up_dates or ()))
    if dates and dates[0] < start_on:
        raise ValidationError(
            {"follow_up_dates": _("En uppföljning kan inte ligga före insatsens start.")}
        )
    with transaction.atomic():
        plan = _plan_for_change(actor, family_work, expected_version)
        item = PlanIntervention.objects.create(
            municipality_id=family_work.municipality_id,
            plan=plan,
            goal=goal,
            intervention=intervention,
            responsible_unit=responsible_unit,
            responsible=responsible,
            start_on=start_on,
            end_on=end_on,
            note=note or "",
            created_by=actor,
        )
        audit_created(actor, item, PLAN_INTERVENTION_FIELDS)
        for day in dates:
            follow_up = PlanFollowUp.objects.create(
                municipality_id=family_work.municipality_id, plan_intervention=item, due_on=day
            )
            audit_created(actor, follow_up, FOLLOW_UP_FIELDS)
        _revise(actor, plan, _("Insats tillagd: %(name)s") % {"name": intervention})
        return item


def plan_intervention_update(
    *,
    actor,
    plan_intervention,
    expected_version,
    responsible_unit,
    start_on,
    end_on=None,
    responsible=None,
    note="",
):
    """Change dates, responsibility or note (coordinator or responsible unit)."""
    require(PlanIntervention.objects.visible_to(actor, "change"), plan_intervention)
    family_work = plan_intervention.plan.family_work
    _refuse_closed(family_work)
    _check_plan_intervention(
        actor,
        family_work=family_work,
        start_on=start_on,
        end_on=end_on,
        responsible_unit=responsible_unit,
        responsible=responsible,
    )
    with transaction.atomic():
        plan = _plan_locked(actor, family_work)
        stored = PlanIntervention.objects.get(pk=plan_intervention.pk)
        before = snapshot(stored, PLAN_INTERVENTION_EDIT_FIELDS)
        plan_intervention.responsible_unit = responsible_unit
        plan_intervention.responsible = responsible
        plan_intervention.start_on = start_on
        plan_intervention.end_on = end_on
        plan_intervention.note = note or ""
        save_versioned(
            plan_intervention,
            expected_version=expected_version,
            fields=PLAN_INTERVENTION_EDIT_FIELDS,
        )
        changes = diff(before, snapshot(plan_intervention, PLAN_INTERVENTION_EDIT_FIELDS))
        if "note" in changes:  # the text stays out of the log
            changes["note"] = ["", "(ändrad)"]
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=plan_intervention, changes=changes)
        _revise(
            actor, plan, _("Insats ändrad: %(name)s") % {"name": plan_intervention.intervention}
        )
        return plan_intervention


def follow_up_add(*, actor, plan_intervention, due_on):
    require(PlanIntervention.objects.visible_to(actor, "change"), plan_intervention)
    family_work = plan_intervention.plan.family_work
    _refuse_closed(family_work)
    if due_on is None:
        raise ValidationError({"due_on": _("Ange datum för uppföljningen.")})
    if due_on < plan_intervention.start_on:
        raise ValidationError({"due_on": _("En uppföljning kan inte ligga före insatsens start.")})
    with transaction.atomic():
        plan = _plan_locked(actor, family_work)
        follow_up = PlanFollowUp.objects.create(
            municipality_id=plan_intervention.municipality_id,
            plan_intervention=plan_intervention,
            due_on=due_on,
        )
        audit_created(actor, follow_up, FOLLOW_UP_FIELDS)
        _revise(
            actor,
            plan,
            _("Uppföljning %(day)s tillagd för %(name)s")
            % {"day": due_on.isoformat(), "name": plan_intervention.intervention},
        )
        return follow_up


def follow_up_record(*, actor, follow_up, expected_version, outcome, outcome_on=None, note=""):
    """The outcome of a follow-up: goal met, partly or not, with the day and a note."""
    require(PlanFollowUp.objects.visible_to(actor, "change"), follow_up)
    item = follow_up.plan_intervention
    _refuse_closed(item.plan.family_work)
    outcome_on = outcome_on or _today()
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Välj om målet är uppnått, delvis eller inte.")})
    _not_future(outcome_on, "outcome_on", _("Datum för uppföljningen"))
    with transaction.atomic():
        plan = _plan_locked(actor, item.plan.family_work)
        before = snapshot(follow_up, FOLLOW_UP_FIELDS)
        follow_up.outcome = outcome
        follow_up.outcome_on = outcome_on
        follow_up.note = note or ""
        follow_up.recorded_by = actor
        save_versioned(
            follow_up,
            expected_version=expected_version,
            fields=["outcome", "outcome_on", "note", "recorded_by"],
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=follow_up,
            changes=diff(before, snapshot(follow_up, FOLLOW_UP_FIELDS)),
        )
        _revise(
            actor,
            plan,
            _("Uppföljning av %(name)s: %(outcome)s")
            % {"name": item.intervention, "outcome": follow_up.get_outcome_display()},
        )
        return follow_up


# Referrals ----------------------------------------------------------------------------


def _current_member(family_work, person, field, roles=None):
    members = FamilyMember.objects.filter(
        family_work=family_work, person=person, ended_on__isnull=True
    )
    if roles is not None:
        members = members.filter(role__in=roles)
    if person is None or not members.exists():
        raise ValidationError({field: _("Välj en person som ingår i familjen.")})


def referral_consent(*, family_work, person, to_unit=None, on=None):
    """The consent a referral relies on, or None: for a unit, a consent in force for
    purpose REFERRAL naming it or for all units while it takes part
    (consent_covers_unit); for an external provider, one for all units."""
    consents = Consent.objects.filter(
        family_work=family_work, person=person, purpose=ConsentPurpose.REFERRAL
    ).filter(in_force_q(on))
    if to_unit is None:
        return consents.filter(all_units=True).order_by("-valid_from", "-pk").first()
    if not consent_covers_unit(
        family_work=family_work,
        person=person,
        unit=to_unit,
        purpose=ConsentPurpose.REFERRAL,
        on=on,
    ):
        return None
    named = consents.filter(consent_units__unit=to_unit).order_by("-valid_from", "-pk").first()
    return named or consents.filter(all_units=True).order_by("-valid_from", "-pk").first()


def sending_unit(actor, family_work):
    """The actor's participating unit in the family work (the first, coordinator's
    first), or None."""
    found = (
        participations(actor)
        .filter(family_work_id=family_work.pk)
        .select_related("unit")
        .order_by("-is_coordinator", "pk")
        .first()
    )
    return found.unit if found is not None else None


def referral_send(
    *,
    actor,
    family_work,
    person,
    reason,
    to_unit=None,
    external_provider="",
    external_contact="",
    intervention=None,
    plan_intervention=None,
    sent_on=None,
):
    """Send a referral of a family member, only with the person's consent for purpose
    REFERRAL covering the receiver."""
    from_unit = sending_unit(actor, family_work)
    if from_unit is None:
        raise PermissionDenied
    _refuse_closed(family_work)
    _current_member(family_work, person, "person")
    external_provider = (external_provider or "").strip()
    if intervention is not None and not external_provider and to_unit is None:
        if intervention.provider_kind == ProviderKind.EXTERNAL:
            external_provider = intervention.provider_name
            external_contact = external_contact or intervention.provider_contact
        elif intervention.provider_unit_id:
            to_unit = intervention.provider_unit
    errors = {}
    if (to_unit is None) == (not external_provider):
        errors["to_unit"] = _("Välj antingen en enhet eller skriv en extern utförare.")
    if to_unit is not None and to_unit.pk == from_unit.pk:
        errors["to_unit"] = _("Remissen kan inte gå till din egen enhet.")
    if not (reason or "").strip():
        errors["reason"] = _("Skriv vad remissen gäller och vilket stöd som önskas.")
    if intervention is not None and intervention.municipality_id != actor.municipality_id:
        errors["intervention"] = _("Välj en insats ur katalogen.")
    if plan_intervention is not None and plan_intervention.plan.family_work_id != family_work.pk:
        errors["plan_intervention"] = _("Välj en insats i familjens plan.")
    if errors:
        raise ValidationError(errors)
    _own_unit(actor, to_unit, "to_unit")
    sent_on = sent_on or _today()
    _not_future(sent_on, "sent_on", _("Datum"))
    consent = referral_consent(family_work=family_work, person=person, to_unit=to_unit)
    if consent is None:
        if to_unit is None:
            message = _(
                "Remissen kan inte skickas: %(person)s har inget gällande samtycke till "
                "remiss till extern utförare. Det behövs ett samtycke för ändamålet remiss "
                "som gäller alla enheter (och där det framgår att det omfattar %(to)s). "
                "Registrera samtycket i familjeärendet först."
            ) % {"person": person, "to": external_provider}
        else:
            message = _(
                "Remissen kan inte skickas: %(person)s har inget gällande samtycke till "
                "remiss som omfattar %(to)s. Registrera samtycket i familjeärendet först."
            ) % {"person": person, "to": to_unit}
        raise ValidationError(message, code="no_consent")
    with transaction.atomic():
        referral = Referral.objects.create(
            municipality_id=family_work.municipality_id,
            family_work=family_work,
            person=person,
            plan_intervention=plan_intervention,
            intervention=intervention,
            from_unit=from_unit,
            to_unit=to_unit,
            external_provider=external_provider if to_unit is None else "",
            external_contact=(external_contact or "") if to_unit is None else "",
            reason=reason.strip(),
            consent=consent,
            sent_on=sent_on,
            sent_by=actor,
            status_changed_on=sent_on,
        )
        ReferralStep.objects.create(
            municipality_id=referral.municipality_id,
            referral=referral,
            status=ReferralStatus.SENT,
            on=sent_on,
            by=actor,
            unit=from_unit,
        )
        return audit_created(actor, referral, REFERRAL_FIELDS)


def referral_acting_unit(actor, referral):
    """The unit through which ``actor`` may take the referral's next step, or None:
    the receiving unit; for an external provider the sending unit."""
    if not Referral.objects.visible_to(actor, "change").filter(pk=referral.pk).exists():
        return None
    units = work_unit_ids(actor)
    if referral.is_external:
        if referral.from_unit_id in units or referral.sent_by_id == actor.pk:
            return referral.from_unit
        return None
    if referral.to_unit_id in units:
        return referral.to_unit
    return None


def referral_step(*, actor, referral, status, expected_version, on=None, note=""):
    """The next step of a referral, dated and by whom."""
    unit = referral_acting_unit(actor, referral)
    if unit is None:
        raise PermissionDenied
    if status not in [s.value for s in REFERRAL_TRANSITIONS[ReferralStatus(referral.status)]]:
        raise ValidationError(
            {
                "status": _("Remissen är %(status)s och kan inte bli %(next)s.")
                % {
                    "status": referral.get_status_display().lower(),
                    "next": ReferralStatus(status).label.lower()
                    if status in ReferralStatus.values
                    else status,
                }
            }
        )
    on = on or _today()
    _not_future(on, "on", _("Datum"))
    if on < referral.status_changed_on:
        raise ValidationError(
            {
                "on": _("Datumet kan inte vara före föregående steg (%(day)s).")
                % {"day": referral.status_changed_on.isoformat()}
            }
        )
    note = (note or "").strip()
    if status == ReferralStatus.DECLINED and not note:
        raise ValidationError({"note": _("Skriv varför remissen avböjs.")})
    with transaction.atomic():
        before = snapshot(referral, ["status"])
        referral.status = status
        referral.status_changed_on = on
        save_versioned(
            referral, expected_version=expected_version, fields=["status", "status_changed_on"]
        )
        step = ReferralStep.objects.create(
            municipality_id=referral.municipality_id,
            referral=referral,
            status=status,
            on=on,
            by=actor,
            unit=unit,
            note=note,
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=referral,
            changes={**diff(before, snapshot(referral, ["status"])), "step": [None, step.pk]},
        )
        return referral


# Placement ----------------------------------------------------------------------------


def _overlapping(child, start_on, end_on, exclude=None):
    found = Placement.objects.filter(municipality_id=child.municipality_id, child=child).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=start_on)
    )
    if end_on is not None:
        found = found.filter(start_on__lte=end_on)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.order_by("start_on").first()


def _refuse_overlap(child, start_on, end_on, exclude=None):
    other = _overlapping(child, start_on, end_on, exclude)
    if other is not None:
        period = other.start_on.isoformat() + (
            f"–{other.end_on.isoformat()}" if other.end_on else _(" och tills vidare")
        )
        raise ValidationError(
            {
                "start_on": _(
                    "%(child)s har redan en placering under den perioden (%(kind)s, "
                    "%(period)s). Avsluta den först eller välj andra datum."
                )
                % {"child": child, "kind": other.get_kind_display().lower(), "period": period}
            }
        )


def can_place(actor, family_work):
    if not participations(actor).filter(family_work_id=family_work.pk).exists():
        return False
    return bool(work_unit_ids(actor)) and (
        FamilyWork.objects.filter(pk=family_work.pk, pk__in=coordinated_work_ids(actor)).exists()
        or participations(actor)
        .filter(family_work_id=family_work.pk, unit_id__in=work_unit_ids(actor))
        .exists()
    )


def placement_create(
    *,
    actor,
    family_work,
    child,
    kind,
    responsible_unit,
    start_on,
    end_on=None,
    place="",
    note="",
):
    """Record a child's placement (coordinator, or a participating unit for itself)."""
    if not can_place(actor, family_work):
        raise PermissionDenied
    coordinator = FamilyWork.objects.filter(
        pk=family_work.pk, pk__in=coordinated_work_ids(actor)
    ).exists()
    if (
        responsible_unit is not None
        and not coordinator
        and responsible_unit.pk not in work_unit_ids(actor)
    ):
        raise ValidationError(
            {"responsible_unit": _("Du kan bara registrera placeringar för din egen enhet.")}
        )
    _refuse_closed(family_work)
    _current_member(family_work, child, "child", roles=[FamilyRole.CHILD])
    errors = {}
    if kind not in PlacementKind.values:
        errors["kind"] = _("Välj placeringsform.")
    if start_on is None:
        errors["start_on"] = _("Ange startdatum.")
    if responsible_unit is None:
        errors["responsible_unit"] = _("Välj ansvarig enhet.")
    if errors:
        raise ValidationError(errors)
    _ordered(start_on, end_on)
    _own_unit(actor, responsible_unit, "responsible_unit")
    _require_taking_part(family_work, responsible_unit)
    with transaction.atomic():
        _refuse_overlap(child, start_on, end_on)
        placement = Placement(
            municipality_id=family_work.municipality_id,
            family_work=family_work,
            child=child,
            kind=kind,
            place=place or "",
            responsible_unit=responsible_unit,
            start_on=start_on,
            end_on=end_on,
            note=note or "",
            created_by=actor,
        )
        placement.save()
        return audit_created(actor, placement, PLACEMENT_FIELDS)


def placement_end(*, actor, placement, expected_version, end_on):
    require(Placement.objects.visible_to(actor, "change"), placement)
    if end_on is None:
        raise ValidationError({"end_on": _("Ange slutdatum.")})
    _ordered(placement.start_on, end_on)
    with transaction.atomic():
        _refuse_overlap(placement.child, placement.start_on, end_on, exclude=placement)
        before = snapshot(placement, ["end_on"])
        placement.end_on = end_on
        save_versioned(placement, expected_version=expected_version, fields=["end_on"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=placement,
            changes=diff(before, snapshot(placement, ["end_on"])),
        )
        return placement


def contact_plan_add(*, actor, placement, parent, frequency, arrangement=""):
    """Planned contact (umgänge) between the placed child and one of the parents."""
    require(Placement.objects.visible_to(actor, "change"), placement)
    _current_member(placement.family_work, parent, "parent", roles=list(PARENT_ROLES))
    frequency = (frequency or "").strip()
    if not frequency:
        raise ValidationError({"frequency": _("Skriv hur ofta umgänget ska ske.")})
    if ContactPlan.objects.filter(placement=placement, parent=parent).exists():
        raise ValidationError(
            {"parent": _("Det finns redan ett planerat umgänge med den föräldern.")}
        )
    with transaction.atomic():
        plan = ContactPlan.objects.create(
            municipality_id=placement.municipality_id,
            placement=placement,
            parent=parent,
            frequency=frequency,
            arrangement=arrangement or "",
            created_by=actor,
        )
        return audit_created(actor, plan, CONTACT_PLAN_FIELDS)


def contact_event_record(*, actor, contact_plan, on, status, note=""):
    """A contact that happened or was cancelled."""
    require(ContactPlan.objects.visible_to(actor, "change"), contact_plan)
    errors = {}
    if on is None:
        errors["on"] = _("Ange datum.")
    if status not in ContactStatus.values:
        errors["status"] = _("Välj om umgänget blev av eller ställdes in.")
    if errors:
        raise ValidationError(errors)
    _not_future(on, "on", _("Datum"))
    if on < contact_plan.placement.start_on:
        raise ValidationError({"on": _("Datumet ligger före placeringen.")})
    with transaction.atomic():
        event = ContactEvent.objects.create(
            municipality_id=contact_plan.municipality_id,
            contact_plan=contact_plan,
            on=on,
            status=status,
            note=note or "",
            recorded_by=actor,
        )
        return audit_created(actor, event, CONTACT_EVENT_FIELDS)
