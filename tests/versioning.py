"""Checks that an update carries the version it read (issue 9 §6), shared by every
app's tests: without a version the page answers 400 with a message and the API 400
``{"version": [...]}``; with a stale one the page keeps the form and says someone else
saved, the API answers 409. Nothing is written either way."""

from kinsight.audit.models import AuditEntry

JSON = "application/json"
MISSING = "Versionen saknas: ladda om sidan och försök igen."
STALE = "Någon annan har sparat ändringar i det här under tiden."


def _writes():
    return AuditEntry.objects.exclude(action="read").count()


def page_refuses_missing_and_stale_version(client, url, data, *, stale):
    """POST ``data`` to the page without ``version`` and with ``stale``."""
    before = _writes()
    missing = client.post(url, data)
    assert missing.status_code == 400, missing.status_code
    assert MISSING in missing.content.decode()
    outdated = client.post(url, {**data, "version": stale}, follow=True)
    assert STALE in outdated.content.decode()
    assert _writes() == before


def api_refuses_missing_and_stale_version(client, method, url, data, *, stale):
    """Send ``data`` to the API without ``version`` and with ``stale``."""
    send = getattr(client, method)
    before = _writes()
    missing = send(url, data, content_type=JSON)
    assert missing.status_code == 400, missing.content
    assert list(missing.json()) == ["version"]
    assert "Versionen saknas" in missing.json()["version"][0]
    outdated = send(url, {**data, "version": stale}, content_type=JSON)
    assert outdated.status_code == 409, outdated.content
    assert _writes() == before
