"""A child of the parent's earlier (or other) case recorded afresh on a new case."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.cases.models import Case
from kinsight.core.models import User
from kinsight.detection.models import (
    ChildRecord,
)
from kinsight.detection.services.child_records import child_record_add
from kinsight.detection.services.expected_children import child_record_add_expected
from kinsight.people.models import Person


def child_record_renew(*, actor: User, case: Case, previous: ChildRecord) -> ChildRecord:
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
