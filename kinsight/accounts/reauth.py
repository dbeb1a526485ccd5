"""Re-authentication before an export (OWASP ASVS: re-authenticate before a sensitive
operation). The session keeps when its user last proved who they are (the password and
the TOTP code: at sign-in and on the confirm page ``/konto/bekrafta/``); an export older
than ``KINSIGHT_REAUTH_MINUTES`` (default 5) sends the browser to confirm again and
back. An API request with a token is not asked (the token was issued from a two-factor
session and expires; docs/architecture.md "Safe exports"); one with the session is."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from rest_framework.exceptions import PermissionDenied

from kinsight.accounts.models import ApiToken

AUTH_AT_KEY = "kinsight_auth_at"
DEFAULT_MINUTES = 5


def reauth_minutes() -> int:
    """How long a proof lasts: unset 5 minutes; at least 1 (the confirm page's answer
    must reach the export), a bad value 1."""
    try:
        return max(1, int(getattr(settings, "KINSIGHT_REAUTH_MINUTES", DEFAULT_MINUTES)))
    except (TypeError, ValueError):
        return 1


def mark_authenticated(request: HttpRequest) -> None:
    """The user proved who they are now (sign-in or confirm)."""
    request.session[AUTH_AT_KEY] = timezone.now().timestamp()


def signed_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """``user_logged_in``: a sign-in is a proof (outside a request, nothing to mark)."""
    if request is not None and hasattr(request, "session"):
        mark_authenticated(request)


def is_recent(request: HttpRequest) -> bool:
    """Whether the session's last proof is at most ``reauth_minutes`` old (none: no)."""
    at = request.session.get(AUTH_AT_KEY)
    if not isinstance(at, int | float):
        return False
    age = timezone.now().timestamp() - at
    return 0 <= age <= reauth_minutes() * 60


def safe_next(request: HttpRequest, candidate: str) -> str:
    """``candidate`` if it is a path on this site, else the start page."""
    allowed = url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, require_https=request.is_secure()
    )
    if allowed and candidate.startswith("/") and not candidate.startswith("//"):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def confirm_url(next_url: str) -> str:
    return reverse("accounts:confirm") + "?" + urlencode({"next": next_url})


def require_recent_auth(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page view that gives a file: a stale proof goes to the confirm page, which comes
    back to this request's path (htmx: a full page load there)."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return confirm_first(request) or view(request, *args, **kwargs)

    return checked


def confirm_first(request: HttpRequest) -> HttpResponse | None:
    """None when the proof is recent, else the way to the confirm page and back (for a
    view that gives a file only for some of its requests, as ``?format=csv``)."""
    if is_recent(request):
        return None
    url = confirm_url(request.get_full_path())
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def check_api_export(request: Any) -> None:
    """An API export: a token passes; the session needs a recent proof, else 403 with
    what to do."""
    if isinstance(getattr(request, "auth", None), ApiToken):
        return
    if not is_recent(request):
        raise PermissionDenied(
            _(
                "Bekräfta din inloggning (lösenord och engångskod) på %(url)s "
                "och försök igen inom %(minutes)s minuter."
            )
            % {"url": reverse("accounts:confirm"), "minutes": reauth_minutes()}
        )
