"""The network API's viewsets. ``ROUTES`` (prefix, viewset, basename) are registered on the
API router in config/urls.py."""

ROUTES: list[tuple[str, type, str]] = []
