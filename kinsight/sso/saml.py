"""SAML 2.0 through pysaml2 (the library under djangosaml2), configured per
municipality: the service provider's configuration is built from its SsoConfig for
each request, with only its own identity provider's metadata, so an assertion signed
by another municipality's provider does not verify. Metadata given as an address is
fetched over HTTPS only and kept ten minutes (not fetched on every sign-in)."""

from typing import Any

import requests
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.ident import code as name_id_code
from saml2.ident import decode as name_id_decode
from saml2.sigver import get_xmlsec_binary
from saml2.xmldsig import SIG_RSA_SHA256

from kinsight.sso import services
from kinsight.sso.models import SsoConfig
from kinsight.sso.services import allowed_path

TIMEOUT = 10
METADATA_SECONDS = 600


def _url(request: HttpRequest, config: SsoConfig, name: str) -> str:
    return request.build_absolute_uri(reverse(f"sso:saml_{name}", args=[config.municipality.code]))


def idp_metadata(config: SsoConfig) -> str:
    """The identity provider's metadata: the XML the administrator gave, or the document
    at its address, fetched over HTTPS (TLS vouches for it; plain HTTP could be
    altered on the way and is refused) and kept ten minutes. Refused when it cannot
    be read."""
    if config.saml_idp_metadata_xml:
        return config.saml_idp_metadata_xml
    url = config.saml_idp_metadata_url
    key = f"kinsight-sso-saml-metadata:{url}"
    xml = cache.get(key)
    if xml is None:
        try:
            if not url.startswith("https://"):
                raise ValueError("metadata address without https")
            answer = requests.get(url, timeout=TIMEOUT)
            answer.raise_for_status()
            xml = answer.text
        except (requests.RequestException, ValueError):
            raise services.SsoRefused(str(services.UNAVAILABLE), "metadata") from None
        cache.set(key, xml, METADATA_SECONDS)
    return str(xml)


def sp_config(request: HttpRequest, config: SsoConfig, *, with_idp: bool = True) -> SPConfig:
    """The service provider's configuration; ``with_idp`` with the provider's metadata
    (the service provider's own metadata page does not need it)."""
    files = (config.saml_sp_key_file, config.saml_sp_cert_file)
    signed = all(allowed_path(name) for name in files)
    settings: dict[str, Any] = {
        "entityid": config.saml_sp_entity_id or _url(request, config, "metadata"),
        "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": "Kinsight",
                "endpoints": {
                    "assertion_consumer_service": [
                        (_url(request, config, "acs"), BINDING_HTTP_POST)
                    ],
                    "single_logout_service": [(_url(request, config, "ls"), BINDING_HTTP_REDIRECT)],
                },
                "allow_unsolicited": False,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "authn_requests_signed": signed,
                "logout_requests_signed": signed,
            }
        },
    }
    if with_idp:
        settings["metadata"] = {"inline": [idp_metadata(config)]}
    if signed:
        settings["key_file"] = config.saml_sp_key_file
        settings["cert_file"] = config.saml_sp_cert_file
        pair = {"key_file": config.saml_sp_key_file, "cert_file": config.saml_sp_cert_file}
        settings["encryption_keypairs"] = [pair]
    loaded = SPConfig()
    loaded.load(settings)
    return loaded


def client_for(request: HttpRequest, config: SsoConfig) -> tuple[Saml2Client, str]:
    """The service provider and the entity id of the municipality's identity provider."""
    client = Saml2Client(config=sp_config(request, config))
    providers = list(client.metadata.identity_providers())
    if len(providers) != 1:
        raise ValueError("the metadata must name exactly one identity provider")
    return client, providers[0]


def session_facts(info: dict[str, Any]) -> dict[str, Any]:
    """What the single logout needs, kept in the session."""
    return {"name_id": name_id_code(info["name_id"]), "session_index": info.get("session_index")}


def logout_url(request: HttpRequest, config: SsoConfig, facts: dict[str, Any]) -> str | None:
    """A LogoutRequest to the provider (HTTP-Redirect), when its metadata has a single
    logout service; None otherwise (only Kinsight's session ends)."""
    try:
        client, idp = client_for(request, config)
        services = client.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso")
    except Exception:  # noqa: BLE001 - no logout at the provider; Kinsight's session ends
        return None
    if not services or not facts.get("name_id"):
        return None
    destination = services[0]["location"]
    indexes = [facts["session_index"]] if facts.get("session_index") else None
    _id, message = client.create_logout_request(
        destination,
        idp,
        name_id=name_id_decode(facts["name_id"]),
        session_indexes=indexes,
        sign=False,
    )
    # HTTP-Redirect signs the query, not the XML: with the service provider's key
    # when it has one (most providers refuse an unsigned LogoutRequest).
    signed = client.config.key_file is not None
    info = client.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(message),
        destination,
        sign=signed,
        sigalg=SIG_RSA_SHA256 if signed else None,
    )
    return dict(info["headers"])["Location"]
