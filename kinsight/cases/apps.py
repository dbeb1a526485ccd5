from django.apps import AppConfig
from django.utils.translation import gettext as _


def _case_label(case):
    return _("Ärende %(id)s, %(person)s (%(unit)s)") % {
        "id": case.pk,
        "person": case.person.full_name,
        "unit": case.unit.name,
    }


def _register_audit_kinds():
    from kinsight.audit.registry import register
    from kinsight.cases.models import Case, JournalNote

    register(Case, persons=("person",), related=("person", "unit"), label=_case_label)
    register(
        JournalNote,
        persons=("case__person",),
        related=("case__person", "case__unit"),
        label=lambda n: _("Journalanteckning: %s") % _case_label(n.case),
    )


class Config(AppConfig):
    name = "kinsight.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Ärenden"

    def ready(self):
        _register_audit_kinds()
