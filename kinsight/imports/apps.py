from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Import of records from an incumbent system."""

    name = "kinsight.imports"
    label = "imports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext as _

        from kinsight.audit.registry import register
        from kinsight.imports.models import Import

        register(
            Import,
            label=lambda run: (
                _("Import %(file)s (%(kind)s)")
                % {"file": run.file_name, "kind": run.get_kind_display()}
            ),
            defer=("data", "report"),
        )
