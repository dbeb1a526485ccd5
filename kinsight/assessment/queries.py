"""Reads of the joint assessment, each starting from visible_to(user, action); reads of
personal data are audited (one row per kind of record shown)."""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.access.querysets import TenantQuerySet
from kinsight.access.rules import get_for
from kinsight.assessment.models import (
    Assessment,
    AssessmentPart,
    Instrument,
    InstrumentItem,
    InstrumentResult,
    ProtectiveFactor,
)
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_read, audit_record
from kinsight.core.models import OrgUnit, User
from kinsight.detection.models import ChildFlag, FlagKind
from kinsight.family.access import covering_consents, participations
from kinsight.family.models import (
    FamilyMember,
    FamilyRole,
    FamilyWork,
    Participant,
    PerspectiveKind,
)
from kinsight.people.models import Person

PART_TYPE = "assessment.assessmentpart"
RESULT_TYPE = "assessment.instrumentresult"
FLAG_TYPE = "detection.childflag"
ASSESSMENT_TYPE = "assessment.assessment"

# Flags from early detection shown in the child's perspective.
CHILD_PERSPECTIVE_FLAGS = (FlagKind.YOUNG_CARER, FlagKind.CHILD_INTERPRETER)

AGE_BANDS = [
    (
        0,
        2,
        gettext_lazy(
            "0–2 år: beskriv barnets situation genom observation och föräldrarnas "
            "berättelse; hur får barnet omsorg, närhet och trygghet i vardagen?"
        ),
    ),
    (
        3,
        6,
        gettext_lazy(
            "3–6 år: korta samtal med stöd av lek och bilder; fråga konkret om vardagen "
            "och vem barnet vänder sig till när det är ledset eller rädd."
        ),
    ),
    (
        7,
        12,
        gettext_lazy(
            "7–12 år: enkla, konkreta frågor om hemmet, skolan, kompisar och oro; ge "
            "information om förälderns svårigheter anpassad efter åldern."
        ),
    ),
    (
        13,
        17,
        gettext_lazy(
            "13–17 år: eget samtal med den unga; den ungas egen uppfattning väger tungt. "
            "Fråga om ansvar i hemmet (ung omsorgsgivare) och om att tolka åt föräldern."
        ),
    ),
]


def age_band_hint(age: int | None) -> str:
    if age is None:
        return _("Åldern är okänd: anpassa samtalet efter barnets utveckling.")
    for low, high, hint in AGE_BANDS:
        if low <= age <= high:
            return str(hint)
    return _("Personen är vuxen: samtala som med en vuxen.")


# Single objects -----------------------------------------------------------------------


def family_work_get(*, actor: User, pk: int) -> FamilyWork:
    """The family work (404 unless the actor takes part)."""
    return get_object_or_404(FamilyWork.objects.visible_to(actor, "view"), pk=pk)


def _parts() -> TenantQuerySet[AssessmentPart, AssessmentPart]:
    return AssessmentPart.objects.select_related("unit", "person", "other_person", "family_work")


def part_get(*, actor: User, pk: int) -> AssessmentPart:
    """The part shown to the actor, audited as a read (404 if they may not see it)."""
    part = get_for(actor, _parts(), pk)
    audit_read(actor=actor, obj=part)
    return part


def part_for_write(*, actor: User, pk: int) -> AssessmentPart:
    """The part a write acts on: 404 if the actor may not see it, 403 if they may not
    change it (another unit's part); the write is audited by its service."""
    return get_for(actor, _parts(), pk, "change")


def own_units(*, actor: User, family_work: FamilyWork) -> list[Participant]:
    """The participating units through which the actor writes parts in the work."""
    unit_ids = participations(actor).filter(family_work_id=family_work.pk).values("unit_id")
    return list(
        Participant.objects.filter(family_work=family_work, unit_id__in=unit_ids)
        .select_related("unit")
        .order_by("-is_coordinator", "pk")
    )


def instruments_for(*, actor: User) -> list[Instrument]:
    return list(Instrument.objects.visible_to(actor, "view").active().order_by("code", "pk"))


def instrument_get(*, actor: User, pk: int) -> Instrument:
    return get_object_or_404(
        Instrument.objects.visible_to(actor, "view")
        .active()
        .prefetch_related(
            Prefetch(
                "items",
                queryset=InstrumentItem.objects.prefetch_related("options").order_by("number"),
            ),
            "cutoffs",
        ),
        pk=pk,
    )


def factors_for(*, actor: User) -> list[ProtectiveFactor]:
    return list(ProtectiveFactor.objects.visible_to(actor, "view").active().order_by("order", "pk"))


# The assessment page ------------------------------------------------------------------


@dataclass
class UnitSlot:
    """One participating unit's place in a perspective."""

    participant: Participant
    part: AssessmentPart | None = None
    is_own: bool = False
    shared: bool = False  # the actor may read this unit's part (consent in force)

    @property
    def unit(self) -> OrgUnit:
        return self.participant.unit


@dataclass
class PerspectiveView:
    key: str
    kind: str
    label: str
    persons: list[Person]
    slots: list[UnitSlot] = field(default_factory=list)
    child: Person | None = None  # the child (child perspectives), when the actor sees it
    age: int | None = None
    age_hint: str = ""
    flags: list[ChildFlag] = field(default_factory=list)

    @property
    def is_child(self) -> bool:
        return self.kind == PerspectiveKind.CHILD

    @property
    def kind_label(self) -> str:
        return str(PerspectiveKind(self.kind).label)

    @property
    def anchor(self) -> str:
        return slugify(self.key)


@dataclass
class AssessmentView:
    family_work: FamilyWork
    assessment: Assessment | None
    perspectives: list[PerspectiveView]
    own_units: list[Participant]
    parts: list[AssessmentPart]


def _person_label(
    person: Person, seen_ids: Collection[int], role_names: Mapping[int, str | Promise]
) -> str | Promise:
    if person.pk in seen_ids:
        return person.full_name
    return role_names.get(person.pk, _("familjemedlem"))


def _perspective_label(kind: str, persons: Sequence[Person], names: Sequence[str | Promise]) -> str:
    if kind == PerspectiveKind.CHILD:
        return _("Barnet %(name)s") % {"name": names[0]}
    if kind == PerspectiveKind.PARENT:
        return _("%(name)s för egen del") % {"name": names[0]}
    if kind == PerspectiveKind.PARENT_CHILD:
        return _("%(parent)s i relation till %(child)s") % {"parent": names[0], "child": names[1]}
    if kind == PerspectiveKind.COUPLE:
        return _("Parrelationen")
    return _("Familjen som helhet")


def assessment_overview(*, actor: User, family_work: FamilyWork) -> AssessmentView:
    """The assessment page's read of ``assessment_view``, audited as one row naming
    every part, instrument result and early-detection flag shown."""
    view = assessment_view(actor=actor, family_work=family_work)
    _audit_overview(actor, family_work, view)
    return view


def assessment_view(*, actor: User, family_work: FamilyWork) -> AssessmentView:
    """Everything the assessment page (and its PDF) shows, not audited here (the page
    audits it through assessment_overview, the PDF as an export): every perspective the family
    has now, each with a slot per participating unit holding the part the actor may see
    (own parts always; others' parts under consent). Persons the actor may not see are
    named by their role. A fixed number of queries, whatever the number of parts."""
    members = list(
        FamilyMember.objects.filter(family_work=family_work, ended_on__isnull=True).select_related(
            "person"
        )
    )
    seen_ids = set(
        FamilyMember.objects.visible_to(actor, "view")
        .filter(family_work=family_work)
        .values_list("person_id", flat=True)
    )
    role_names: dict[int, str | Promise] = {}
    counters: dict[str, int] = {}
    for member in sorted(members, key=lambda m: m.pk):
        if member.role == FamilyRole.CHILD:
            counters["child"] = counters.get("child", 0) + 1
            role_names[member.person_id] = _("Barn %(n)s") % {"n": counters["child"]}
        else:
            role_names[member.person_id] = member.get_role_display()
    consenting = set(
        covering_consents(actor)
        .filter(family_work_id=family_work.pk)
        .values_list("person_id", flat=True)
    )
    everyone_consents = all(m.person_id in consenting for m in members)
    participants = list(
        Participant.objects.filter(family_work=family_work, left_on__isnull=True)
        .select_related("unit", "worker")
        .order_by("-is_coordinator", "pk")
    )
    mine = own_units(actor=actor, family_work=family_work)
    mine_ids = {p.unit_id for p in mine}
    assessment = Assessment.objects.filter(family_work=family_work).first()
    parts: list[AssessmentPart] = []
    if assessment is not None:
        parts = list(
            AssessmentPart.objects.visible_to(actor, "view")
            .filter(assessment=assessment)
            .select_related("unit", "updated_by")
            .prefetch_related(
                Prefetch(
                    "protective_factors",
                    queryset=ProtectiveFactor.objects.order_by("order", "pk"),
                ),
                Prefetch(
                    "results",
                    queryset=InstrumentResult.objects.select_related("instrument").order_by(
                        "-answered_on", "-pk"
                    ),
                ),
            )
        )
    by_slot = {(p.perspective, p.unit_id): p for p in parts}

    perspectives = family_work.perspectives(members)
    children = [p.persons[0] for p in perspectives if p.kind == PerspectiveKind.CHILD]
    flags_by_child = _child_flags(actor, children, consenting, family_work.municipality_id)

    views: list[PerspectiveView] = []
    for perspective in perspectives:
        persons = list(perspective.persons)
        names = [_person_label(p, seen_ids, role_names) for p in persons]
        if perspective.kind == PerspectiveKind.FAMILY:
            shared = everyone_consents
        else:
            shared = all(p.pk in consenting for p in persons)
        view = PerspectiveView(
            key=perspective.key,
            kind=perspective.kind,
            label=_perspective_label(perspective.kind, persons, names),
            persons=persons,
        )
        if perspective.kind == PerspectiveKind.CHILD:
            child = persons[0]
            if child.pk in seen_ids:
                view.child = child
                view.age = child.age()
            view.age_hint = age_band_hint(view.age)
            view.flags = flags_by_child.get(child.pk, [])
        for participant in participants:
            part = by_slot.get((perspective.key, participant.unit_id))
            view.slots.append(
                UnitSlot(
                    participant=participant,
                    part=part,
                    is_own=participant.unit_id in mine_ids,
                    shared=shared or part is not None,
                )
            )
        views.append(view)
    return AssessmentView(
        family_work=family_work,
        assessment=assessment,
        perspectives=views,
        own_units=mine,
        parts=parts,
    )


def _audit_overview(actor: User, family_work: FamilyWork, view: AssessmentView) -> None:
    """One row per page read (a fixed number of queries), naming every part,
    instrument result and early-detection flag shown."""
    parts = view.parts
    flags = [f for perspective in view.perspectives for f in perspective.flags]
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.READ,
            municipality_id=family_work.municipality_id,
            object_type=PART_TYPE,
            object_id="*",
            changes={
                "family_work": family_work.pk,
                "ids": [str(p.pk) for p in parts],
                "results": [str(r.pk) for p in parts for r in p.results.all()],
                "flags": [str(f.pk) for f in flags],
            },
        )


def _child_flags(
    actor: User, children: Sequence[Person], consenting: Collection[int], municipality_id: int
) -> dict[int, list[ChildFlag]]:
    """Current young-carer and child-interpreter flags of the children: those the
    actor sees through early detection, and those of children whose consent covers the
    actor in this family work (of ``municipality_id``)."""
    if not children:
        return {}
    ids = [c.pk for c in children]
    shared_children = [pk for pk in ids if pk in consenting]
    visible = ChildFlag.objects.visible_to(actor, "view").values("pk")
    flags = (
        ChildFlag.objects.filter(
            municipality_id=municipality_id,
            record__child_id__in=ids,
            ended_on__isnull=True,
            kind__in=CHILD_PERSPECTIVE_FLAGS,
        )
        .filter(Q(pk__in=visible) | Q(record__child_id__in=shared_children))
        .select_related("record")
        .order_by("noted_on", "pk")
    )
    found: dict[int, list[ChildFlag]] = {}
    for flag in flags:
        found.setdefault(flag.record.child_id, []).append(flag)
    return found


def assessment_export(*, actor: User, overview: AssessmentView, fmt: str = "pdf") -> None:
    """Record that the actor exported the assessment, naming every part it held."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            municipality_id=overview.family_work.municipality_id,
            object_type=ASSESSMENT_TYPE,
            object_id=str(overview.assessment.pk) if overview.assessment else "*",
            changes={
                "family_work": overview.family_work.pk,
                "format": fmt,
                "parts": [p.pk for p in overview.parts],
            },
        )
