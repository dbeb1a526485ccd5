"""A count per client address in the cache, for the pages anyone may use without
signing in (the one-time code page, the open group list's applications): after
``allowed`` counted events within ``window`` seconds the page refuses until the window
has passed. The address is ``kinsight.audit.middleware.client_ip`` (REMOTE_ADDR, or the
nearest untrusted hop behind KINSIGHT_TRUSTED_PROXIES; docs/operations.md)."""

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from kinsight.audit.middleware import client_ip


@dataclass(frozen=True)
class Limit:
    """``Limit("groups:answer:wrong", allowed=10, window=900)``: ``name`` keeps the
    counts of different pages apart."""

    name: str
    allowed: int
    window: int  # seconds, from the first event counted

    def _key(self, request: HttpRequest) -> str:
        return f"ratelimit:{self.name}:{client_ip(request)}"

    def exceeded(self, request: HttpRequest) -> bool:
        """Whether this address has used up its events in the running window."""
        return cache.get(self._key(request), 0) >= self.allowed

    def count(self, request: HttpRequest) -> None:
        """Count one event for this address (the window starts at its first)."""
        key = self._key(request)
        cache.add(key, 0, self.window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr: start again
            cache.set(key, 1, self.window)
