"""Search terms kept out of URLs. A name or a personnummer in a query string ends up in
the proxy's and the browser's logs, so a search form posts its term; the term is kept
in the session under a random key, and the result page's URL carries only that key
(``?s=<key>``), so paging, reloading and going back still work. A key names nothing
outside the session it was made in."""

import secrets

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

SESSION_KEY = "kinsight_search_terms"
KEPT = 20  # the newest terms per kind of search; older keys stop working
PARAMETER = "s"


def remember(session: SessionBase, kind: str, term: str, *, key: str | None = None) -> str:
    """The key for ``term`` in searches of ``kind`` ("people"), made on first need
    (``key`` names it instead: the bench's fixed searches)."""
    stored: dict[str, list[list[str]]] = session.get(SESSION_KEY, {})
    pairs = [pair for pair in stored.get(kind, []) if pair[1] != term]
    found = [pair for pair in stored.get(kind, []) if pair[1] == term]
    key = key or (found[0][0] if found else secrets.token_urlsafe(9))
    stored[kind] = [*pairs, [key, term]][-KEPT:]
    session[SESSION_KEY] = stored
    return key


def recall(session: SessionBase, kind: str, key: str | None) -> str:
    """The term kept under ``key``; empty when there is none (expired, another
    session's, or made up)."""
    if not key:
        return ""
    for stored_key, term in session.get(SESSION_KEY, {}).get(kind, []):
        if secrets.compare_digest(stored_key, key):
            return term
    return ""


def results_url(request: HttpRequest, kind: str, term: str, url: str) -> str:
    """``url`` naming ``term`` by its key (``url`` alone for an empty term)."""
    if not term:
        return url
    return f"{url}?{PARAMETER}={remember(request.session, kind, term)}"


def term_of(request: HttpRequest, kind: str) -> str:
    """The term the request's ``?s=`` key names in its session (empty if none)."""
    return recall(request.session, kind, request.GET.get(PARAMETER))
