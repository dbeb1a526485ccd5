"""What the sign-in page offers and where the logout goes, for kinsight.accounts."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from kinsight.sso import oidc, services
from kinsight.sso.models import Protocol


def options() -> list[tuple[str, str]]:
    """("<provider name>", login URL) for every municipality that signs in through one."""
    found = []
    for config in services.configured():
        name = config.provider_name or config.municipality.name
        url = reverse(f"sso:{config.protocol}_login", args=[config.municipality.code])
        found.append((name, url))
    return found


def fresh_sign_in(request: HttpRequest, facts: dict[str, Any], next_url: str) -> str | None:
    """The session's provider's sign-in, asking it to ask the person again, then back to
    ``next_url`` (the confirmation before an export)."""
    config = services.config_for(facts.get("municipality", ""), facts.get("protocol", ""))
    if config is None:
        return None
    url = reverse(f"sso:{config.protocol}_login", args=[config.municipality.code])
    return f"{url}?{urlencode({services.FRESH: '1', 'next': next_url})}"


def provider_logout(request: HttpRequest, facts: dict[str, Any]) -> str | None:
    """The provider's logout (single logout) for a session signed in through one."""
    config = services.config_for(facts.get("municipality", ""), facts.get("protocol", ""))
    if config is None:
        return None
    back = request.build_absolute_uri(reverse("accounts:login"))
    if config.protocol == Protocol.OIDC:
        return oidc.logout_url(config, back)
    from kinsight.sso import saml

    return saml.logout_url(request, config, facts)
