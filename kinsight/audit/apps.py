from django.apps import AppConfig
from django.utils.translation import gettext as _


def _entry_persons(entries):
    """A page of the log names the persons of the single-object rows it shows."""
    shown = entries.exclude(object_id="*").filter(subjects__isnull=False)
    return [shown.values_list("subjects__person_id", flat=True)]


class Config(AppConfig):
    name = "kinsight.audit"

    def ready(self):
        from kinsight.audit.models import AuditEntry, LogReview, LogSample
        from kinsight.audit.registry import register
        from kinsight.core.models import Membership, OrgUnit, User

        register(AuditEntry, persons=_entry_persons, label=lambda e: _("Loggpost %s") % e.seq)
        register(
            User,
            label=lambda u: (
                _("Personal: %(name)s (%(username)s)")
                % {"name": u.get_full_name() or u.username, "username": u.username}
            ),
        )
        register(OrgUnit, label=lambda u: _("Enhet: %s") % u.name)
        register(Membership, related=("user", "unit"), label=str)
        register(
            LogReview,
            persons=("person_id",),
            label=lambda r: (
                _("Loggranskning %(pk)s: %(outcome)s")
                % {"pk": r.pk, "outcome": r.get_outcome_display()}
            ),
        )
        register(
            LogSample,
            related=("unit",),
            label=lambda s: (
                _("Stickprov %(month)s: %(unit)s")
                % {"month": f"{s.month:%Y-%m}", "unit": s.unit.name}
            ),
        )
