from django.apps import AppConfig


def _register_audit_kinds():
    from kinsight.audit.registry import register, titled
    from kinsight.followup.annual.models import AnnualReport, AnnualReportText
    from kinsight.followup.figures import REGISTRY

    def section(key):
        found = REGISTRY.get(key)
        return found.title if found is not None else key

    register(
        AnnualReport,
        related=("scope_unit",),
        defer=("pdf", "xlsx"),  # the files are not read to name the report
        label=lambda r: titled(r, f"{r.year}, {r.scope_unit.name}"),
    )
    register(
        AnnualReportText,
        related=("scope_unit",),
        label=lambda t: titled(t, f"{t.year}, {t.scope_unit.name}: {section(t.section)}"),
    )


class Config(AppConfig):
    name = "kinsight.followup"
    verbose_name = "Uppföljning"

    def ready(self):
        from kinsight.followup import attention, figures, start
        from kinsight.ui.panels import register_panel

        register_panel("start", start.work_panel)
        register_panel("start", start.minimum_level_panel)
        register_panel("start", attention.attention_panel)
        figures.load()
        _register_audit_kinds()
