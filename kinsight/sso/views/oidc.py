"""Sign-in through the municipality's OpenID Connect provider."""

import time
from urllib.parse import parse_qs, urlparse

import requests
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from jwt import PyJWTError

from kinsight.accounts import external
from kinsight.sso import oidc, services
from kinsight.sso.models import Protocol
from kinsight.sso.views import refused_page
from kinsight.ui.routes import route

MUNICIPALITY = "kinsight_municipality"
FRESH_FROM = "kinsight_fresh_from"


@route("sso/<str:code>/oidc/login/", name="oidc_login")
@never_cache
def oidc_login(request: HttpRequest, code: str) -> HttpResponse:
    """To the provider, with state, nonce and PKCE kept in the session (by
    mozilla-django-oidc) and the municipality beside them."""
    config = services.config_for(code, Protocol.OIDC)
    if config is None:
        raise Http404
    try:
        settings = oidc.oidc_settings(config, oidc.discovery(config), secret=False)
    except services.SsoRefused as refusal:
        return refused_page(request, refusal.message, status=503)
    view = oidc.RequestView(oidc=settings)
    view.setup(request)
    response = view.get(request)
    state = parse_qs(urlparse(response["Location"]).query)["state"][0]
    request.session["oidc_states"][state][MUNICIPALITY] = code
    if request.GET.get(services.FRESH):
        request.session["oidc_states"][state][FRESH_FROM] = time.time()
    request.session.modified = True
    return response


@route("sso/oidc/callback/", name="oidc_callback")
@never_cache
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: exchange the code, check the token, sign in."""
    states = request.session.get("oidc_states") or {}
    entry = states.pop(request.GET.get("state", ""), None)
    request.session.modified = True
    config = services.config_for(entry.get(MUNICIPALITY, ""), Protocol.OIDC) if entry else None
    if config is None:
        message = _("Inloggningen kunde inte slutföras. Börja om från inloggningssidan.")
        return refused_page(request, message, status=400)
    try:
        if "code" not in request.GET:
            raise services.refused(
                config, "provider_error", _("Identitetsleverantören avbröt inloggningen.")
            )
        settings = oidc.oidc_settings(config, oidc.discovery(config), secret=True)
        backend = oidc.Backend(config, settings)
        backend.fresh_from = entry.get(FRESH_FROM)
        try:
            user = backend.authenticate(
                request, nonce=entry["nonce"], code_verifier=entry.get("code_verifier")
            )
        except (SuspiciousOperation, PyJWTError, requests.RequestException, KeyError):
            user = None
        if user is None:
            raise services.refused(
                config,
                "token_invalid",
                _("Svaret från identitetsleverantören kunde inte godtas. Försök igen."),
            )
    except services.SsoRefused as refusal:
        return refused_page(request, refusal.message)
    facts = {
        "protocol": Protocol.OIDC.value,
        "mfa": backend.two_factor,
        "municipality": config.municipality.code,
    }
    next_url = request.session.pop("oidc_login_next", None)
    return external.finish_login(request, user, facts=facts, next_url=next_url)
