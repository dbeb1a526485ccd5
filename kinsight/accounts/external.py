"""Sign-in through an identity provider, as accounts sees it: the sign-in page's links
and the logout's way back to the provider come from the app that knows the providers
(kinsight.sso registers them in its AppConfig.ready()), and a session signed in through
a provider whose assertion counted as two-factor is verified without a TOTP code."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

# The session's sign-in through a provider: {"user_id", "protocol", "municipality",
# "mfa", and what the logout needs}.
SESSION_KEY = "kinsight_sso"

# (provider name, URL) of each provider the sign-in page offers.
_options: list[Callable[[], list[tuple[str, str]]]] = []
# Called before the session ends; returns the provider's logout URL or None.
_logouts: list[Callable[[HttpRequest, dict[str, Any]], str | None]] = []
# (request, the session's facts, where to come back) → the URL that signs in again at
# the session's provider, asking it to ask the person again (a confirmation), or None.
_fresh: list[Callable[[HttpRequest, dict[str, Any], str], str | None]] = []


def register(
    *,
    options: Callable[[], list[tuple[str, str]]],
    logout: Callable[[HttpRequest, dict[str, Any]], str | None],
    fresh: Callable[[HttpRequest, dict[str, Any], str], str | None],
) -> None:
    _options.append(options)
    _logouts.append(logout)
    _fresh.append(fresh)


def sign_in_options() -> list[tuple[str, str]]:
    return [option for source in _options for option in source()]


def _session_provider_url(request: HttpRequest, builders: list[Any], *args: Any) -> str | None:
    """The first URL the registered ``builders`` give for the session's provider (None:
    the session was not signed in through one)."""
    facts = request.session.get(SESSION_KEY)
    if not facts:
        return None
    return next((url for build in builders if (url := build(request, facts, *args))), None)


def provider_logout_url(request: HttpRequest) -> str | None:
    """Where to send the browser to end the provider's session too (single logout)."""
    return _session_provider_url(request, _logouts)


def fresh_sign_in_url(request: HttpRequest, next_url: str) -> str | None:
    """Where a session signed in through a provider confirms who it is: that provider,
    told to ask the person again (not to answer from its own session)."""
    return _session_provider_url(request, _fresh, next_url)


@dataclass(frozen=True)
class ProviderAssertion:
    """Stands for the OTP device of a session whose provider asserted two-factor
    (django-otp's ``user.is_verified()`` asks only that there is one)."""

    protocol: str

    @property
    def persistent_id(self) -> str:
        return f"sso/{self.protocol}"


def session_assertion(request: HttpRequest, user: Any) -> ProviderAssertion | None:
    facts = request.session.get(SESSION_KEY) or {}
    if facts.get("user_id") == user.pk and facts.get("mfa") is True:
        return ProviderAssertion(protocol=facts.get("protocol", ""))
    return None


def finish_login(
    request: HttpRequest, user: Any, *, facts: dict[str, Any], next_url: str | None
) -> HttpResponse:
    """Sign ``user`` in as the provider said (the caller has audited it)."""
    login(request, user, backend="kinsight.accounts.backends.StaffBackend")
    request.session[SESSION_KEY] = {"user_id": user.pk, **facts}
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


def safe_next(request: HttpRequest) -> str:
    """The ``next`` the request asks for, when it is a page of this site."""
    candidate = request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return ""
