from django.apps import AppConfig
from django.utils.translation import gettext as _


def _record_label(record):
    from kinsight.audit.registry import years

    if record.is_expected:
        age = _("väntas %(month)s") % {"month": record.expected_month.strftime("%Y-%m")}
    else:
        age = years(record.age())
    return _("Barn som anhörig: %(name)s, %(age)s") % {"name": record.display_name, "age": age}


def _register_audit_kinds():
    from kinsight.audit.registry import label_of, register
    from kinsight.detection import models as m

    case = ("case__person", "case__unit")
    register(
        m.ChildQuestion,
        persons=("person",),
        related=case,
        label=lambda q: _("Barnfrågan: %s") % label_of(q.case),
    )
    register(
        m.ChildQuestionAnswer,
        persons=("question__person",),
        related=tuple("question__" + path for path in case),
        label=lambda a: _("Svar på barnfrågan: %s") % label_of(a.question.case),
    )
    register(m.ChildRecord, persons=("child", "parent"), related=("child",), label=_record_label)
    on_record = {"persons": ("record__child", "record__parent"), "related": ("record__child",)}
    register(m.ChildRecordStep, **on_record, label=lambda s: _("Steg: %s") % label_of(s.record))
    register(m.ChildFlag, **on_record, label=lambda f: _("Markering: %s") % label_of(f.record))
    register(
        m.ConcernReport,
        persons=("child", "child_record__parent"),
        label=lambda r: (
            _("Orosanmälan %(date)s om %(name)s") % {"date": r.received_on, "name": r.child_name}
        ),
    )


class Config(AppConfig):
    name = "kinsight.detection"
    verbose_name = "Tidig upptäckt"

    def ready(self):
        _register_audit_kinds()
        from kinsight.detection.panels import case_detection_panels
        from kinsight.ui.panels import register_panel

        register_panel("case", case_detection_panels)
