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


def _case_grants(municipality_id):
    """Every case gives its unit sight of the case's person (kinsight/people/grants.py)."""
    from kinsight.cases.models import Case

    columns = "municipality_id AS m, person_id, unit_id, 'case' AS reason, id AS case_id"
    sql = f"SELECT {columns} FROM {Case._meta.db_table} WHERE municipality_id = %s"  # noqa: S608
    return sql, [municipality_id]


def _register_grant_source():
    from kinsight.people.grants import register_full_source

    register_full_source(_case_grants)


class Config(AppConfig):
    name = "kinsight.cases"
    verbose_name = "Ärenden"

    def ready(self):
        _register_audit_kinds()
        _register_grant_source()
        from kinsight.cases.panels import person_cases_panel
        from kinsight.ui.panels import register_panel

        register_panel("person", person_cases_panel)
