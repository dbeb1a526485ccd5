from django.apps import AppConfig
from django.utils.translation import gettext as _


def _register_audit_kinds():
    from kinsight.audit.registry import label_of, person_text, register
    from kinsight.family import models as m

    members = ("family_work__members__person",)
    work = ("family_work",)
    register(
        m.FamilyWork,
        persons=("members__person",),
        label=lambda w: _("Familjeärende: %s") % w.title,
    )
    register(
        m.FamilyMember,
        persons=("person",),
        related=("person", "family_work"),
        label=lambda f: (
            _("Familjemedlem: %(person)s (%(work)s)")
            % {"person": person_text(f.person), "work": f.family_work.title}
        ),
    )
    register(
        m.Participant,
        persons=members,
        related=("unit", "family_work"),
        label=lambda p: (
            _("Deltagande enhet: %(unit)s (%(work)s)")
            % {"unit": p.unit.name, "work": p.family_work.title}
        ),
    )
    register(
        m.LinkedCase,
        persons=("case__person",),
        related=("case__person", "case__unit"),
        label=lambda link: _("Kopplat ärende: %s") % label_of(link.case),
    )
    register(
        m.Consent,
        persons=("person", "given_by"),
        related=("person",),
        label=lambda c: (
            _("Samtycke (%(purpose)s): %(person)s")
            % {"purpose": c.get_purpose_display().lower(), "person": c.person.full_name}
        ),
    )
    register(m.ConsentUnit, persons=("consent__person",))
    register(
        m.FamilyMeeting,
        persons=members,
        related=work,
        label=lambda meeting: (
            _("Familjemöte %(date)s (%(work)s)")
            % {"date": meeting.held_on, "work": meeting.family_work.title}
        ),
    )
    register(m.MeetingParticipant, persons=("person",))
    register(
        m.MeetingNote,
        persons=("meeting__family_work__members__person",),
        related=("meeting__family_work",),
        label=lambda n: _("Mötesanteckning: %s") % label_of(n.meeting),
    )
    register(
        m.FollowUpTask,
        persons=members,
        related=work,
        label=lambda t: (
            _("Uppgift: %(task)s (%(work)s)") % {"task": t.title, "work": t.family_work.title}
        ),
    )


class Config(AppConfig):
    name = "kinsight.family"
    verbose_name = "Familjeärenden"

    def ready(self):
        from kinsight.family import grants

        _register_audit_kinds()
        grants.register()
        from kinsight.family import panels
        from kinsight.ui.panels import register_panel

        register_panel("person", panels.person_family_panel)
        register_panel("case", panels.case_family_panel)
