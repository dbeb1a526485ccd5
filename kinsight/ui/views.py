"""Pages that belong to no single app: start page, health check, error pages."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kinsight.core.versioning import VersionMissing
from kinsight.ui.panels import gather_panels


def wants_json(request):
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def _error(request, status, title, message):
    if wants_json(request):
        return JsonResponse({"detail": message}, status=status)
    context = {"title": title, "message": message, "status": status}
    return render(request, "ui/error.html", context, status=status)


def home(request):
    """What to do today: the panels the apps above register (the work queue's counts,
    deadlines, recent cases, the minimum level), and the entry points of the user's
    other roles."""
    memberships = list(
        request.user.memberships.select_related("unit").current().order_by("unit__name")
    )
    context = {"memberships": memberships, "panels": gather_panels("start", request), "nav": "home"}
    return render(request, "ui/home.html", context)


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not. No data, no login."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def accessibility(request):
    """The accessibility statement (tillgänglighetsredogörelse) that lagen (2018:1937)
    requires, public; the municipality's contact comes from a setting."""
    context = {"contact": settings.KINSIGHT_ACCESSIBILITY_CONTACT}
    return render(request, "ui/accessibility.html", context)


def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        _("Formuläret kunde inte skickas"),
        _(
            "Sidan var för gammal eller öppnad i en annan flik (CSRF-kontroll). "
            "Ladda om sidan och försök igen."
        ),
    )


def bad_request(request, exception=None):
    if isinstance(exception, VersionMissing):
        return _error(request, 400, _("Ändringen sparades inte"), str(exception))
    return _error(request, 400, _("Felaktig begäran"), _("Begäran kunde inte tolkas."))


def permission_denied(request, exception=None):
    return _error(request, 403, _("Åtkomst nekad"), _("Du har inte behörighet att göra det här."))


def not_found(request, exception=None):
    # The same answer whether the record does not exist or may not be seen.
    return _error(
        request,
        404,
        _("Sidan finns inte"),
        _("Sidan eller uppgiften finns inte, eller så saknar du behörighet att se den."),
    )


def server_error(request):
    return _error(
        request,
        500,
        _("Något gick fel"),
        _("Ett oväntat fel inträffade. Försök igen; kvarstår felet, kontakta supporten."),
    )
