"""Reads of cases and journal notes, each starting from visible_to(user, action)."""

import datetime
from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from kinsight.access.rules import get_for
from kinsight.audit.models import AuditEntry
from kinsight.audit.services import audit_read, audit_read_many
from kinsight.cases.models import Case, CaseStatus, JournalNote, LegalReference
from kinsight.core.models import OrgUnit, User
from kinsight.people.models import Person

CASE_TYPE = "cases.case"
NOTE_TYPE = "cases.journalnote"

_Q = TypeVar("_Q", bound=QuerySet[Case])


def _case_list(queryset: _Q) -> _Q:
    return queryset.select_related("person", "unit", "responsible", "legal_basis")


def cases_for_person(*, actor: User, person: Person) -> list[Case]:
    """The person's cases the actor may see, audited as one list read."""
    cases = list(
        _case_list(Case.objects.visible_to(actor, "view").filter(person=person)).order_by(
            "-opened_on", "-pk"
        )
    )
    audit_read_many(actor=actor, objects=cases, object_type=CASE_TYPE)
    return cases


def my_cases(*, actor: User, include_closed: bool = False) -> QuerySet[Case]:
    cases = Case.objects.visible_to(actor, "view").filter(responsible_id=actor.pk)
    if not include_closed:
        cases = cases.open()
    return _case_list(cases).order_by("-opened_on", "-pk")


def unit_cases(
    *,
    actor: User,
    unit: OrgUnit | None = None,
    status: str = "",
    responsible: User | None = None,
    unassigned: bool = False,
) -> QuerySet[Case]:
    """The cases of the units the actor works in (a unit manager's overview)."""
    cases = Case.objects.visible_to(actor, "view")
    if unit is not None:
        cases = cases.filter(unit=unit)
    if status:
        cases = cases.filter(status=status)
    if responsible is not None:
        cases = cases.filter(responsible=responsible)
    if unassigned:
        cases = cases.filter(responsible__isnull=True)
    return _case_list(cases).order_by("-opened_on", "-pk")


def audit_list(
    *, actor: User, objects: Iterable[Model], object_type: str = CASE_TYPE
) -> AuditEntry | None:
    return audit_read_many(actor=actor, objects=list(objects), object_type=object_type)


def case_get(*, actor: User, pk: int) -> Case:
    """The case shown to the actor, audited as a read: 404 if they may not see it. It
    carries ``may_change``, read with it (access.rules.get_for)."""
    case = get_for(actor, _case_list(Case.objects.all()), pk, flags=("change",))
    audit_read(actor=actor, obj=case)
    return case


def case_for_write(*, actor: User, pk: int) -> Case:
    """The case a write acts on: 404 if the actor may not see it, 403 if they may not
    change it. Not audited here: the write is (and a form page that shows the case
    records that read itself)."""
    return get_for(actor, _case_list(Case.objects.all()), pk, "change")


def case_may(*, actor: User, case: Case, action: str) -> bool:
    if action == "change" and hasattr(case, "may_change"):
        return case.may_change
    return Case.objects.visible_to(actor, action).filter(pk=case.pk).exists()


def case_can_change(*, actor: User, case: Case) -> bool:
    """May ``actor`` change ``case``: the flag case_get read with it, if it did."""
    return case_may(actor=actor, case=case, action="change")


def notes_for_case(*, actor: User, case: Case) -> list[JournalNote]:
    """Signed notes and the actor's own drafts, newest first, audited as one read."""
    notes = list(
        JournalNote.objects.visible_to(actor, "view")
        .filter(case=case)
        .select_related("author", "unit", "signed_by", "corrects")
        .order_by("-created_at", "-pk")
    )
    for note in notes:
        note.case = case  # its person names the audit row's subject without a query
    audit_read_many(actor=actor, objects=notes, object_type=NOTE_TYPE)
    return notes


def _notes(actor: User) -> QuerySet[JournalNote]:
    return JournalNote.objects.visible_to(actor, "view").select_related(
        "case", "case__person", "author", "unit", "signed_by", "corrects"
    )


def note_get(*, actor: User, pk: int) -> JournalNote:
    """The journal note shown to the actor, audited as a read (404 if not seen)."""
    note = get_object_or_404(_notes(actor), pk=pk)
    audit_read(actor=actor, obj=note)
    return note


def note_for_write(*, actor: User, pk: int) -> JournalNote:
    """The journal note a write acts on (a correction, an autosave): 404 if not seen;
    the service decides whether the actor may write and audits the write."""
    return get_object_or_404(_notes(actor), pk=pk)


def legal_references(on: datetime.date | None = None) -> QuerySet[LegalReference]:
    """Legal references valid on a day (all if ``on`` is None); data, not personal."""
    refs = LegalReference.objects.all()
    if on is not None:
        refs = refs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
    return refs.order_by("topic", "-valid_from")


def open_statuses() -> list[CaseStatus]:
    return [s for s in CaseStatus if s != CaseStatus.CLOSED]
