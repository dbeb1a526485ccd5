"""The family plan: made at its first change, every change a new version with a full
snapshot (PlanRevision); goals per perspective."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import municipality_id_of, require
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_created, audit_record
from kinsight.core.models import User
from kinsight.core.services import create_audited, update_audited
from kinsight.core.versioning import NOT_YET_SAVED, StaleEdit, VersionMissing, save_versioned
from kinsight.family.access import (
    coordinated_work_ids,
)
from kinsight.family.models import (
    FamilyWork,
    PerspectiveKind,
)
from kinsight.family.rules import refuse_closed
from kinsight.interventions.models import (
    FamilyPlan,
    PlanGoal,
    PlanRevision,
)
from kinsight.interventions.queries import (
    plan_snapshot,
)

GOAL_FIELDS = ["plan", "perspective_key", "text"]


def plan_locked(actor: User, family_work: FamilyWork) -> FamilyPlan:
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


def plan_for_change(
    actor: User, family_work: FamilyWork, expected_version: int | None
) -> FamilyPlan:
    """The plan, locked, checked against the plan version the addition started from
    (required: NOT_YET_SAVED when the page showed no plan)."""
    if expected_version is None:
        raise VersionMissing
    plan = plan_locked(actor, family_work)
    if expected_version != plan.version:
        raise StaleEdit(StaleEdit.message)
    return plan


def plan_revise(actor: User, plan: FamilyPlan, summary: str) -> PlanRevision:
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


def require_coordinator(actor: User, family_work: FamilyWork) -> None:
    if not FamilyWork.objects.filter(
        pk=family_work.pk,
        municipality_id=municipality_id_of(actor),
        pk__in=coordinated_work_ids(actor),
    ).exists():
        raise PermissionDenied


def perspective_error(family_work: FamilyWork, key: str) -> str | None:
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


def goal_add(
    *,
    actor: User,
    family_work: FamilyWork,
    perspective_key: str,
    text: str,
    expected_version: int | None,
) -> PlanGoal:
    """A goal for one of the family's current perspectives (coordinator)."""
    require_coordinator(actor, family_work)
    refuse_closed(family_work)
    text = (text or "").strip()
    errors: dict[str, str] = {}
    message = perspective_error(family_work, perspective_key)
    if message:
        errors["perspective_key"] = message
    if not text:
        errors["text"] = _("Skriv målet.")
    if errors:
        raise ValidationError(errors)
    label = next(p.label for p in family_work.perspectives() if p.key == perspective_key)
    with transaction.atomic():
        plan = plan_for_change(actor, family_work, expected_version)
        goal = create_audited(
            actor,
            PlanGoal,
            GOAL_FIELDS,
            plan=plan,
            perspective_key=perspective_key,
            perspective_label=str(label)[:300],
            text=text,
            created_by=actor,
        )
        plan_revise(actor, plan, _("Mål tillagt: %(label)s") % {"label": label})
        return goal


def goal_update(
    *, actor: User, goal: PlanGoal, expected_version: int | None, text: str
) -> PlanGoal:
    require(PlanGoal.objects.visible_to(actor, "change"), goal)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv målet.")})
    with transaction.atomic():
        plan = plan_locked(actor, goal.plan.family_work)
        update_audited(actor, goal, {"text": text}, expected_version=expected_version)
        plan_revise(actor, plan, _("Mål ändrat: %(label)s") % {"label": goal.perspective_label})
        return goal
