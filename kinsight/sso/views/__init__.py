"""The sso pages: sign-in through OIDC and SAML (public, under /sso/) and the
administrator's configuration page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def refused_page(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    """The sign-in through the provider did not succeed: why, and the way back."""
    context = {"title": _("Inloggningen misslyckades"), "message": message}
    return render(request, "sso/refused.html", context, status=status)
