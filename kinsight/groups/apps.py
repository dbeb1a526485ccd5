from django.apps import AppConfig


def _register_audit_kinds():
    from django.utils.text import capfirst

    from kinsight.audit.registry import register, titled
    from kinsight.groups import models as m

    for model in (m.Provider, m.Programme):
        register(model, label=lambda o: titled(o, o.name))
    register(m.Cycle, label=lambda c: titled(c, c.name))
    register(
        m.GroupParticipant,
        persons=("person",),
        related=("person",),
        label=lambda p: titled(p, str(p)),
    )
    for model in (m.ProviderGrant, m.ProgrammeMeasure, m.LeaderTraining, m.Session):
        register(model)
    register(m.Attendance, persons=("participant__person",))
    register(m.IndividualTalk, persons=("participant__person",))
    for model in (m.Measurement, m.MeasurementCode):
        register(model, persons=("participant__person",))
    register(
        m.CycleNote,
        related=("cycle",),
        label=lambda n: titled(n, f"{n.cycle.name}, {n.created_at:%Y-%m-%d}"),
    )
    # An application is named by its cycle and status, never by the applicant.
    register(
        m.GroupApplication,
        related=("cycle",),
        label=lambda a: titled(a, f"{a.cycle.name}, {a.get_status_display().lower()}"),
    )
    register(m.GroupSettings, label=lambda s: capfirst(s._meta.verbose_name))


class Config(AppConfig):
    name = "kinsight.groups"
    label = "groups"
    verbose_name = "Stödgrupper"

    def ready(self):
        _register_audit_kinds()
        from kinsight.groups.panels import case_groups_panel, child_groups_panel
        from kinsight.ui.panels import register_panel

        register_panel("child", child_groups_panel)
        register_panel("case", case_groups_panel)
