"""Single-object checks that services and views share. Reads never use these: they
start from visible_to(user, action), which already answers 404 for the invisible."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


def require(queryset, obj):
    """PermissionDenied unless ``obj`` is in ``queryset`` (e.g. visible_to(user, "change"))."""
    if not queryset.filter(pk=obj.pk).exists():
        raise PermissionDenied


def require_administrator(actor):
    """PermissionDenied unless ``actor`` is a system administrator of a municipality."""
    if not (actor.is_authenticated and actor.municipality_id and actor.is_administrator):
        raise PermissionDenied


def administrator_only(request):
    """Administrator pages answer 404 to everyone else, like anything not theirs to see."""
    if not request.user.is_administrator:
        raise Http404
