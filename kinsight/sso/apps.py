from django.apps import AppConfig


class SsoConfig(AppConfig):
    """Single sign-on (OIDC and SAML) per municipality."""

    name = "kinsight.sso"
    label = "sso"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kinsight.accounts import external
        from kinsight.sso import signin

        external.register(
            options=signin.options, logout=signin.provider_logout, fresh=signin.fresh_sign_in
        )
