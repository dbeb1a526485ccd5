from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """Retention (gallring) of records by rules kept as data."""

    name = "kinsight.retention"
    label = "retention"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext as _

        from kinsight.audit import registry
        from kinsight.retention.models import ArchiveMark, LegalHold, Proposal, RetentionRule

        # A hold or mark concerns its person: the person's log shows it.
        registry.register(LegalHold, persons=("person",), label=lambda o: _("Spärr mot gallring"))
        registry.register(ArchiveMark, persons=("person",), label=lambda o: _("Arkivvärdig"))
        registry.register(
            Proposal,
            label=lambda o: _("Gallringsförslag %(day)s") % {"day": o.as_of.isoformat()},
            defer=("counts",),
        )
        registry.register(
            RetentionRule,
            label=lambda o: _("Gallringsregel: %(rule)s") % {"rule": o.get_kind_display()},
        )
