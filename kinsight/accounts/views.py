"""Sign in with password, then a TOTP code (or set one up on first sign-in)."""

import base64
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from kinsight.accounts import external, limits, services
from kinsight.accounts.forms import ApiTokenForm, ApiTokenRevokeForm, LoginForm, TokenForm
from kinsight.ui.forms_flow import run_service
from kinsight.ui.routes import route

PENDING_KEY = "kinsight_pending_login"
PENDING_SECONDS = 300


def _next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()


def _finish_login(request, user, device=None):
    next_url = request.session.get(PENDING_KEY, {}).get("next") or _next_url(request)
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend="kinsight.accounts.backends.StaffBackend")
    if device is not None:
        otp_login(request, device)
    services.login_record(user=user, succeeded=True, step="complete")
    return redirect(next_url)


@route("logga-in/", name="login")
@never_cache
def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and limits.address_locked(request):
        form.is_valid()
        form.add_error(
            None,
            _(
                "För många misslyckade inloggningar från din dator eller ditt nätverk. "
                "Försök igen om %(minutes)s minuter."
            )
            % {"minutes": settings.LOGIN_LOCKOUT_MINUTES},
        )
        return _login_page(request, form, status=429)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            known = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
            if known is not None:
                services.login_record(user=known, succeeded=False, step="password")
            form.add_error(None, _("Fel användarnamn eller lösenord."))
        else:
            device = services.confirmed_device(user)
            if device is None and not settings.OTP_REQUIRED:
                return _finish_login(request, user)
            request.session.cycle_key()
            request.session[PENDING_KEY] = {
                "user_id": user.pk,
                "at": time.time(),
                "next": _next_url(request),
            }
            return redirect("accounts:otp" if device else "accounts:enrol")
    if request.GET.get("expired") and request.method == "GET":
        messages.info(request, _("Din session har avslutats efter en tids inaktivitet."))
    return _login_page(request, form)


def _login_page(request, form, status=200):
    """The sign-in page with ``form`` and its errors (429 when locked out)."""
    context = {
        "form": form,
        "next": request.GET.get("next", ""),
        "title": _("Logga in"),
        "providers": external.sign_in_options(),
    }
    return render(request, "accounts/login.html", context, status=status)


@route("tvastegsverifiering/", name="otp")
@never_cache
def otp_view(request):
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Logga in med användarnamn och lösenord först."))
        return redirect("accounts:login")
    device = services.confirmed_device(user)
    if device is None:
        return redirect("accounts:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", _("För många felaktiga koder. Vänta en stund och försök igen."))
        elif device.verify_token(form.cleaned_data["code"]):
            return _finish_login(request, user, device)
        else:
            services.login_record(user=user, succeeded=False, step="totp")
            form.add_error(
                "code", _("Koden stämmer inte. Kontrollera att telefonens klocka går rätt.")
            )
    return render(request, "accounts/otp.html", {"form": form, "title": _("Tvåstegsverifiering")})


def _qr_svg(device):
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


@route("aktivera-tvastegsverifiering/", name="enrol")
@never_cache
def enrol_view(request):
    """Set up the authenticator app: during first sign-in or from "Mitt konto"."""
    user = request.user if request.user.is_authenticated else _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    if services.confirmed_device(user) is not None and not request.user.is_authenticated:
        return redirect("accounts:otp")
    device = services.device_for_enrolment(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            services.device_confirm(user=user, device=device)
            if request.user.is_authenticated:
                otp_login(request, device)
                messages.success(request, _("Tvåstegsverifiering är nu påslagen."))
                return redirect("accounts:security")
            return _finish_login(request, user, device)
        form.add_error("code", _("Koden stämmer inte. Skanna QR-koden igen och ange en ny kod."))
    context = {
        "title": _("Aktivera tvåstegsverifiering"),
        "form": form,
        "qr_svg": _qr_svg(device),
        "secret": _base32(device.bin_key),
    }
    return render(request, "accounts/enrol.html", context)


def _base32(key):
    return base64.b32encode(key).decode("ascii").rstrip("=")


@route("logga-ut/", name="logout")
@require_POST
def logout_view(request):
    provider_url = external.provider_logout_url(request)
    if request.user.is_authenticated:
        services.logout_record(user=request.user)
    logout(request)
    if provider_url:
        # A page that goes on to the provider: a form's redirect to another site is
        # refused by the Content-Security-Policy (form-action 'self').
        context = {"title": _("Du är utloggad"), "provider_url": provider_url}
        return render(request, "accounts/provider_logout.html", context)
    messages.info(request, _("Du är utloggad."))
    return redirect("accounts:login")


@route("sakerhet/", name="security")
@never_cache
def security_view(request):
    """*Mitt konto*: two-factor, sessions (log out everywhere) and API tokens."""
    token_form = ApiTokenForm(longest=settings.API_TOKEN_DAYS)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "logout_all":
            services.logout_everywhere(user=request.user)
            logout(request)
            messages.info(request, _("Du är utloggad från alla enheter och webbläsare."))
            return redirect("accounts:login")
        if action == "token_create":
            return _token_create(request)
        if action in ("token_revoke", "token_revoke_all"):
            return _token_revoke(request, every=action == "token_revoke_all")
    return _security_page(request, token_form)


def _token_create(request):
    """Make a token and show it on this answer only (it is stored hashed)."""
    form = ApiTokenForm(request.POST, longest=settings.API_TOKEN_DAYS)
    made = form.is_valid() and run_service(
        request,
        form,
        lambda: services.api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            two_factor_verified=request.user.is_verified(),
        ),
    )
    if not made:
        return _security_page(request, form, status=400)
    token, text = made
    fresh = ApiTokenForm(longest=settings.API_TOKEN_DAYS)
    return _security_page(request, fresh, created=token, token_text=text)


def _token_revoke(request, *, every):
    if every:
        count = services.api_tokens_revoke_all(user=request.user)
        text = ngettext(
            "%(count)s API-nyckel återkallad.", "%(count)s API-nycklar återkallade.", count
        )
        messages.success(request, text % {"count": count})
        return redirect("accounts:security")
    form = ApiTokenRevokeForm(request.POST)
    revoked = form.is_valid() and services.api_token_revoke(
        user=request.user, ref=form.cleaned_data["ref"]
    )
    if revoked:
        messages.success(request, _("API-nyckeln ”%(name)s” är återkallad.") % {"name": revoked})
    else:
        messages.error(request, _("Nyckeln finns inte längre. Den kan redan vara återkallad."))
    return redirect("accounts:security")


def _security_page(request, token_form, *, status=200, created=None, token_text=None):
    now = timezone.now()
    tokens = [
        (token, services.api_token_expired(token, now))
        for token in services.api_tokens_of(request.user)
    ]
    context = {
        "title": _("Mitt konto"),
        "has_device": services.confirmed_device(request.user) is not None,
        "verified": request.user.is_verified(),
        "tokens": tokens,
        "token_form": token_form,
        "created": created,
        "token_text": token_text,
        "idle_minutes": settings.SESSION_IDLE_MINUTES,
    }
    return render(request, "accounts/security.html", context, status=status)


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when a username+address pair has failed too often."""
    form = LoginForm(request.POST or None)
    form.is_valid()
    form.add_error(
        None,
        _("För många misslyckade inloggningar. Försök igen om %(minutes)s minuter.")
        % {"minutes": settings.LOGIN_LOCKOUT_MINUTES},
    )
    return _login_page(request, form, status=429)
