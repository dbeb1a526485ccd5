"""The confirm page (``/konto/bekrafta/``): the password, and the code with a TOTP
device, again before an export (kinsight.accounts.reauth), then back to ``next``."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kinsight.accounts import external, reauth, services
from kinsight.accounts.forms import ConfirmForm
from kinsight.ui.routes import route


@route("bekrafta/", name="confirm")
@never_cache
def confirm_view(request):
    """Prove who you are again (password, and the code with a device) before an export,
    then back to ``next`` (a path on this site only)."""
    user = request.user
    back = reauth.safe_next(request, request.GET.get("next", ""))
    again = external.fresh_sign_in_url(request, back)
    if again or not user.has_usable_password():
        return _sign_in_again(request, back, again)
    device = services.confirmed_device(user)
    form = ConfirmForm(request.POST or None, with_code=device is not None)
    if request.method == "POST" and form.is_valid():
        refused = _confirm_refused(request, user, device, form.cleaned_data)
        if refused is None:
            reauth.mark_authenticated(request)
            services.login_record(user=user, succeeded=True, step="reauth")
            return redirect(back)
        form.add_error(*refused)
    context = {
        "title": _("Bekräfta att det är du"),
        "form": form,
        "minutes": reauth.reauth_minutes(),
        "cancel_url": reverse(settings.LOGIN_REDIRECT_URL),
    }
    status = 400 if form.is_bound else 200
    return render(request, "accounts/confirm.html", context, status=status)


def _sign_in_again(request, back, again):
    """A session signed in through an identity provider (or a user without a password
    here) proves who it is by signing in again at that provider (``again``), which is
    told to ask the person again, not to answer from its own session; the sign-in marks
    the proof and leads back. Without a provider session: the sign-in page."""
    context = {
        "title": _("Bekräfta att det är du"),
        "minutes": reauth.reauth_minutes(),
        "sign_in_again": again or reverse("accounts:login") + "?" + urlencode({"next": back}),
    }
    return render(request, "accounts/confirm.html", context)


def _confirm_refused(request, user, device, data):
    """Why the confirm fails, as (field, message), or None. A wrong password counts
    towards the lockout like a sign-in; the code is throttled by django-otp."""
    checked = authenticate(request, username=user.username, password=data["password"])
    if checked is None or checked.pk != user.pk:
        services.login_record(user=user, succeeded=False, step="reauth_password")
        return ("password", _("Lösenordet stämmer inte."))
    if device is None:
        return None
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return ("code", _("För många felaktiga koder. Vänta en stund och försök igen."))
    if not device.verify_token(data["code"]):
        services.login_record(user=user, succeeded=False, step="reauth_totp")
        return ("code", _("Koden stämmer inte. Kontrollera att telefonens klocka går rätt."))
    return None
