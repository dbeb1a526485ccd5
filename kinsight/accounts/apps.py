from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from kinsight.accounts import reauth, schema  # noqa: F401 - registers the OpenAPI scheme

        # Every sign-in (password and code, or single sign-on) is a proof of who the
        # user is: the exports' re-authentication counts from it.
        user_logged_in.connect(reauth.signed_in, dispatch_uid="kinsight_reauth_signed_in")
