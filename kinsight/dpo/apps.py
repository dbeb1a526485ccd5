from django.apps import AppConfig


class DpoConfig(AppConfig):
    """Data protection: the register extract (registerutdrag, GDPR art. 15)."""

    name = "kinsight.dpo"
    label = "dpo"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext as _

        from kinsight.audit import registry
        from kinsight.dpo.models import ExtractRequest

        registry.register(
            ExtractRequest,
            persons=("person",),
            label=lambda obj: _("Registerutdrag %(id)s") % {"id": obj.pk},
        )
