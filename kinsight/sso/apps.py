from django.apps import AppConfig


class SsoConfig(AppConfig):
    """Single sign-on (OIDC and SAML) per municipality."""

    name = "kinsight.sso"
    label = "sso"
    default_auto_field = "django.db.models.BigAutoField"
