"""Sign-in through the municipality's SAML 2.0 identity provider."""

import datetime
import time

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.metadata import entity_descriptor

from kinsight.accounts import external
from kinsight.sso import saml, services
from kinsight.sso.models import Protocol, SsoConfig
from kinsight.sso.views import refused_page
from kinsight.ui.routes import route

PENDING = "kinsight_saml_pending"


def _config(code: str) -> SsoConfig:
    config = services.config_for(code, Protocol.SAML)
    if config is None:
        raise Http404
    return config


@route("sso/<str:code>/saml/login/", name="saml_login")
@never_cache
def saml_login(request: HttpRequest, code: str) -> HttpResponse:
    """An AuthnRequest to the provider (HTTP-Redirect); its id kept in the session. A
    confirmation (``?fresh=1``) asks the provider to ask the person again (ForceAuthn)."""
    config = _config(code)
    try:
        client, idp = saml.client_for(request, config)
    except services.SsoRefused as refusal:
        return refused_page(request, refusal.message, status=503)
    fresh = bool(request.GET.get(services.FRESH))
    request_id, info = client.prepare_for_authenticate(
        entityid=idp, force_authn="true" if fresh else None
    )
    request.session[PENDING] = {
        "id": request_id,
        "municipality": code,
        "next": external.safe_next(request),
        "fresh_from": time.time() if fresh else None,
    }
    return redirect(dict(info["headers"])["Location"])


@route("sso/<str:code>/saml/acs/", name="saml_acs")
@csrf_exempt  # the provider posts the browser here; the response answers our request id
@require_POST
@never_cache
def saml_acs(request: HttpRequest, code: str) -> HttpResponse:
    """The provider's signed assertion: check it against our request, sign in."""
    config = _config(code)
    pending = request.session.pop(PENDING, None) or {}
    if pending.get("municipality") != code:
        message = _("Inloggningen kunde inte slutföras. Börja om från inloggningssidan.")
        return refused_page(request, message, status=400)
    try:
        client, _idp = saml.client_for(request, config)
        try:
            response = client.parse_authn_request_response(
                request.POST.get("SAMLResponse", ""),
                BINDING_HTTP_POST,
                outstanding={pending["id"]: pending.get("next", "")},
            )
        except Exception:  # noqa: BLE001 - pysaml2 raises many kinds; each is a refusal
            response = None
        if response is None:
            raise services.refused(
                config,
                "assertion_invalid",
                _("Svaret från identitetsleverantören kunde inte godtas. Försök igen."),
            )
        if pending.get("fresh_from") is not None:
            services.require_fresh(config, _signed_in_at(response), pending["fresh_from"])
        info = response.session_info()
        claims = {name: [str(v) for v in values] for name, values in response.ava.items()}
        claims["name_id"] = [info["name_id"].text]
        assertion = services.Assertion(
            protocol="saml",
            claims=claims,
            mfa={class_ref for class_ref, _auth, _at in response.authn_info()},
        )
        user, two_factor = services.sso_sign_in(config=config, assertion=assertion)
    except services.SsoRefused as refusal:
        return refused_page(request, refusal.message)
    facts = {
        "protocol": Protocol.SAML.value,
        "mfa": two_factor,
        "municipality": code,
        **saml.session_facts(info),
    }
    return external.finish_login(request, user, facts=facts, next_url=pending.get("next"))


def _signed_in_at(response) -> float | None:
    """When the provider says the person signed in (the latest AuthnInstant)."""
    instants = []
    for _class_ref, _authority, instant in response.authn_info():
        try:
            instants.append(datetime.datetime.fromisoformat(str(instant).replace("Z", "+00:00")))
        except ValueError:
            continue
    return max(instants).timestamp() if instants else None


@route("sso/<str:code>/saml/metadata/", name="saml_metadata")
def saml_metadata(request: HttpRequest, code: str) -> HttpResponse:
    """The service provider's metadata, for the municipality's provider to load."""
    config = _config(code)
    xml = entity_descriptor(saml.sp_config(request, config, with_idp=False)).to_string()
    return HttpResponse(xml, content_type="text/xml; charset=utf-8")


@route("sso/<str:code>/saml/ls/", name="saml_ls")
@never_cache
def saml_ls(request: HttpRequest, code: str) -> HttpResponse:
    """Single logout: the provider's answer to our LogoutRequest, or its own
    LogoutRequest (the person logged out elsewhere): end the session, answer it."""
    config = _config(code)
    try:
        client, _idp = saml.client_for(request, config)
    except services.SsoRefused as refusal:
        return refused_page(request, refusal.message, status=503)
    if "SAMLRequest" in request.GET:
        try:
            asked = client.parse_logout_request(request.GET["SAMLRequest"], BINDING_HTTP_REDIRECT)
        except Exception:  # noqa: BLE001 - an unreadable request ends nothing
            return refused_page(request, _("Utloggningsbegäran kunde inte läsas."), status=400)
        facts = request.session.get(external.SESSION_KEY) or {}
        if saml.session_facts({"name_id": asked.message.name_id})["name_id"] == facts.get(
            "name_id"
        ):
            _end_session(request)
        answer = client.create_logout_response(asked.message, [BINDING_HTTP_REDIRECT])
        destination = client.metadata.single_logout_service(
            asked.message.issuer.text, BINDING_HTTP_REDIRECT, "idpsso"
        )[0]["location"]
        info = client.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(answer),
            destination,
            request.GET.get("RelayState", ""),
            response=True,
        )
        return redirect(dict(info["headers"])["Location"])
    _end_session(request)
    messages.info(request, _("Du är utloggad."))
    return redirect("accounts:login")


def _end_session(request: HttpRequest) -> None:
    if request.user.is_authenticated:
        from kinsight.accounts.services import logout_record

        logout_record(user=request.user)
        logout(request)
