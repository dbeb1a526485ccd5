"""The competence-needs inventory and the training offer, as writes (each takes the
acting user and writes its audit rows in the same transaction, as services.py): the
network leader opens an inventory and adds courses; a member's head of services answers
per area until the deadline."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.core.models import NodeKind, OrgUnit, User
from kinsight.groups.services.catalogue import leader_training_add
from kinsight.network.models import DEFAULT_AREAS, Answer, Course, Enrolment, Inventory
from kinsight.network.queries import is_member_head, member_ids
from kinsight.network.services import audit_shared_create, leader_of


def inventory_open(
    *, actor: User, year: int, deadline: datetime.date, extra_areas: str = ""
) -> Inventory:
    """Open the year's inventory: the three standing areas and any added, one a line."""
    region = leader_of(actor)
    if deadline < timezone.localdate():
        raise ValidationError(
            {
                "deadline": _(
                    "Sista svarsdagen har redan passerat. Välj i dag eller ett senare datum."
                )
            }
        )
    areas = list(DEFAULT_AREAS)
    for line in extra_areas.splitlines():
        if line.strip() and line.strip() not in areas:
            areas.append(line.strip()[:100])
    with transaction.atomic():
        if Inventory.objects.filter(region=region, year=year).exists():
            raise ValidationError(
                {"year": _("Det finns redan en inventering för %(year)s.") % {"year": year}}
            )
        found = Inventory.objects.create(
            region=region, year=year, deadline=deadline, areas=areas, opened_by=actor
        )
        audited = {"year": year, "deadline": deadline.isoformat(), "areas": areas}
        audit_shared_create(actor, found, region.pk, audited)
    return found


ANSWER_FIELDS = ["area", "needs", "staff_count", "suggestions"]


def answer_save(
    *,
    actor: User,
    inventory: Inventory,
    area: str,
    needs: str,
    staff_count: int,
    suggestions: str = "",
) -> Answer:
    """A current member's head of services answers for one area (again: the answer is
    replaced) until the deadline; after it the answer is refused."""
    if not is_member_head(actor) or actor.municipality_id not in member_ids(inventory.region_id):
        raise PermissionDenied
    if timezone.localdate() > inventory.deadline:
        message = _(
            "Sista svarsdag var %(day)s. Svar tas inte längre emot; kontakta "
            "nätverksledaren om behoven ska med i sammanställningen."
        )
        raise ValidationError(message % {"day": inventory.deadline.isoformat()})
    if area not in inventory.areas:
        raise ValidationError({"area": _("Välj ett av inventeringens områden.")})
    if not needs.strip():
        raise ValidationError({"needs": _("Beskriv behoven inom området.")})
    values = {
        "needs": needs.strip(),
        "staff_count": staff_count,
        "suggestions": suggestions.strip(),
    }
    with transaction.atomic():
        found, created = Answer.objects.update_or_create(
            inventory=inventory,
            municipality_id=actor.municipality_id,
            area=area,
            defaults={**values, "answered_by": actor, "answered_at": timezone.now()},
        )
        action = AuditAction.CREATE if created else AuditAction.UPDATE
        changes = {"area": area, **{name: [None, value] for name, value in values.items()}}
        audit_record(actor=actor, action=action, obj=found, changes=changes)
    return found


COURSE_FIELDS = [
    "area",
    "title",
    "starts_on",
    "ends_on",
    "capacity",
    "minimum",
    "cost",
    "decision_on",
    "with_neighbour",
    "leader_training",
]


def _course_checked(values: dict[str, Any]) -> None:
    if values["ends_on"] < values["starts_on"]:
        raise ValidationError({"ends_on": _("Sista dagen kan inte vara före första dagen.")})
    if values["minimum"] > values["capacity"]:
        raise ValidationError(
            {"minimum": _("Minsta antal deltagare kan inte vara fler än antalet platser.")}
        )
    if values["decision_on"] > values["starts_on"]:
        raise ValidationError({"decision_on": _("Beslutsdagen måste vara före kursstart.")})
    if Decimal(values["cost"]) < 0:
        raise ValidationError({"cost": _("Kostnaden kan inte vara negativ.")})


def course_add(*, actor: User, inventory: Inventory | None = None, **values: Any) -> Course:
    """A course of the training offer (from an inventory's compilation, or on its own)."""
    region = leader_of(actor)
    if inventory is not None and inventory.region_id != region.pk:
        raise PermissionDenied
    values.setdefault("leader_training", False)
    _course_checked(values)
    with transaction.atomic():
        course = Course.objects.create(
            region=region, inventory=inventory, created_by=actor, **values
        )
        audited = {name: str(values[name]) for name in COURSE_FIELDS}
        audit_shared_create(actor, course, region.pk, audited)
    return course


def enrol(*, actor: User, course: Course, participant: User) -> Enrolment:
    """A current member's head of services enrols a member of its staff, while there is
    room and before the course starts."""
    if not is_member_head(actor) or actor.municipality_id not in member_ids(course.region_id):
        raise PermissionDenied
    if participant.municipality_id != actor.municipality_id or not participant.is_active:
        raise ValidationError({"participant": _("Välj någon av kommunens personal.")})
    if course.starts_on <= timezone.localdate():
        raise ValidationError(_("Kursen har redan börjat; anmälan är stängd."))
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)  # one place at a time
        taken = Enrolment.objects.filter(course=locked)
        if taken.filter(participant=participant).exists():
            raise ValidationError(
                {"participant": _("%(name)s är redan anmäld.") % {"name": participant}}
            )
        if taken.count() >= locked.capacity:
            message = _("Kursen är fullbokad (%(capacity)s platser).")
            raise ValidationError(message % {"capacity": locked.capacity})
        found = Enrolment.objects.create(
            course=locked,
            municipality_id=actor.municipality_id or 0,
            participant=participant,
            enrolled_by=actor,
        )
        changes = {"course": [None, course.pk], "participant": [None, participant.pk]}
        audit_record(actor=actor, action=AuditAction.CREATE, obj=found, changes=changes)
    return found


def attendance_mark(*, actor: User, enrolment: Enrolment, attended: bool) -> Enrolment:
    """The head of services records whether the participant attended (once the course
    has started)."""
    if not is_member_head(actor) or enrolment.municipality_id != actor.municipality_id:
        raise PermissionDenied
    if enrolment.course.starts_on > timezone.localdate():
        raise ValidationError(_("Närvaro kan anges först när kursen har börjat."))
    with transaction.atomic():
        Enrolment.objects.filter(pk=enrolment.pk).update(attended=attended)
        changes = {"attended": [enrolment.attended, attended]}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=enrolment, changes=changes)
        if attended and not enrolment.attended and enrolment.course.leader_training:
            _leader_trained(actor, enrolment)
    enrolment.refresh_from_db()
    return enrolment


def _district(participant: User) -> OrgUnit | None:
    """The district (stadsdel) above the participant's first unit."""
    membership = participant.memberships.select_related("unit").order_by("pk").first()
    node = membership.unit if membership else None
    while node is not None and node.kind != NodeKind.DISTRICT:
        node = node.parent
    return node


def _leader_trained(actor: User, enrolment: Enrolment) -> None:
    """A support-group leader training attended: the leader in the municipality's
    register of trained group leaders (kinsight.groups), by its own service."""
    district = _district(enrolment.participant)
    if district is None:
        message = _(
            "%(name)s hör inte till någon stadsdel, så utbildningen kan inte föras in i "
            "gruppledarregistret. Ge medarbetaren en enhet först."
        )
        raise ValidationError(message % {"name": enrolment.participant})
    leader_training_add(
        actor=actor,
        leader=enrolment.participant,
        district=district,
        training=enrolment.course.title,
        trained_on=enrolment.course.starts_on,
    )
