from django.apps import AppConfig


def _part_persons(parts):
    """A part is about its person(s); a part for the whole family about every member."""
    whole = parts.filter(person__isnull=True, family_work__members__isnull=False)
    return [
        parts.filter(person__isnull=False).values_list("person", flat=True),
        parts.filter(other_person__isnull=False).values_list("other_person", flat=True),
        whole.values_list("family_work__members__person", flat=True),
    ]


def _register_audit_kinds():
    from kinsight.assessment import models as m
    from kinsight.audit.registry import register, titled

    register(
        m.Assessment,
        persons=("family_work__members__person",),
        related=("family_work",),
        label=lambda a: titled(a, a.family_work.title),
    )
    register(
        m.AssessmentPart,
        persons=_part_persons,
        related=("family_work", "person"),
        label=lambda p: titled(p, p.person.full_name if p.person else p.family_work.title),
    )
    register(m.InstrumentResult, persons=("part__person", "part__other_person"))


class Config(AppConfig):
    name = "kinsight.assessment"
    verbose_name = "Bedömning per perspektiv"

    def ready(self):
        _register_audit_kinds()
