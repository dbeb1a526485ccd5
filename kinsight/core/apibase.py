"""The one base for every app's REST API (NetBox's BaseViewSet is the model).

- ``TenantViewSet``: rows through ``visible_to(user, "view")`` (what may not be seen
  answers 404); a write checks the action it needs (``change`` for PUT, PATCH and
  DELETE, or ``access=`` on an ``@action``) and answers 403 when the row is seen but
  may not be changed; list pages and details audited as reads (one row per page);
  schema generation handled here once.
- ``TenantSerializer``/``InputSerializer``: every writable related field offers only
  the rows the user may see (``related_access`` names another action or a narrowing).
- ``VersionedSerializer``/``VersionedInputSerializer``: updates carry ``version``
  (400 when missing, 409 when stale, kinsight.core.versioning).
- ``exception_handler`` and ``ErrorResponsesSchema``: service errors as JSON, and the
  400/401/403/404/409 answers in the OpenAPI schema.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.db.models.manager import BaseManager
from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kinsight.accounts.throttles import Throttled
from kinsight.audit.services import audit_read, audit_read_many
from kinsight.core.versioning import StaleEdit, VersionMissing

# Errors --------------------------------------------------------------------------------


def exception_handler(exc, context):
    """Turn service errors into the same JSON shape DRF uses: 400 with field errors,
    403, 404 (also for what exists but may not be seen), 409 for a stale edit."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, StaleEdit):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, VersionMissing):
        exc = exceptions.ValidationError({"version": [str(VersionMissing.api_message)]})
    elif isinstance(exc, exceptions.Throttled) and not isinstance(exc, Throttled):
        exc = Throttled(exc.wait)
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


FIELD_ERRORS = {
    "type": "object",
    "description": 'Fält med fel och vad som ska rättas: {"fält": ["meddelande"]}; för '
    "en lista eller ett inbäddat objekt samma form per rad eller fält.",
    "additionalProperties": {},
}
ERRORS = {
    "400": (FIELD_ERRORS, "Felaktig indata, eller versionen saknas; inget är sparat."),
    "401": (ErrorSerializer, "Inte inloggad (token eller session saknas)."),
    "403": (ErrorSerializer, "Du ser posten men får inte göra detta."),
    "404": (ErrorSerializer, "Finns inte, eller är inget du får se (eller sidan finns inte)."),
    "409": (ErrorSerializer, "Någon annan har ändrat posten sedan versionen du skickade."),
    "429": (ErrorSerializer, "För många förfrågningar; Retry-After säger om hur många sekunder."),
}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class ErrorResponsesSchema(AutoSchema):
    """Adds the error answers an operation can give to its documented responses:
    401, 403, 404 and 429 (throttled) always (404: a record in the path, the query or
    the body that does not exist or is not yours, or a page past the end); 400 for
    writes and for query parameters beyond the page; 409 where the request carries a
    version."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            schema, description = ERRORS[code]
            responses.setdefault(
                code, self._get_response_for_code(OpenApiResponse(schema, description), code)
            )
        return responses

    def _error_codes(self):
        codes = ["401", "403", "429"]
        if self.method in WRITE_METHODS or self._query_names_more_than_a_page():
            codes.append("400")
        codes.append("404")
        if self._carries_version():
            codes.append("409")
        return codes

    def _query_names_more_than_a_page(self):
        """Filters and other query parameters are validated: a wrong one answers 400."""
        return any(
            parameter["in"] == "query" and parameter["name"] != "page"
            for parameter in self._get_parameters()
        )

    def _carries_version(self):
        if self.method not in ("POST", "PUT", "PATCH"):
            return False
        body = force_instance(self.get_request_serializer())
        if not isinstance(body, serializers.Serializer):
            return False
        versions = [f for f in body.fields.values() if isinstance(f, VersionField)]
        # A create names no version (optional on a VersionedSerializer) unless it must.
        return any(self.method != "POST" or field.required for field in versions)


# Serializers ---------------------------------------------------------------------------


def request_user(context):
    """The signed-in user of a serializer's request, or None."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


# Every writable related field offers only rows the user may see: the field's model's
# ``visible_to(user, "view")``, or what ``related_access`` says for the field: another
# action (``"change"``) or a function ``(visible, user)`` narrowing the visible rows
# further. A model without ``visible_to`` (shared reference data) keeps the field's own
# queryset. (Comments, not docstrings, on serializer bases: drf-spectacular shows an
# inherited docstring as the description of every schema built on them.)
class VisibleRelated:
    related_access: dict[str, str | Callable[..., Any]] = {}

    def get_fields(self):
        fields = super().get_fields()
        user = request_user(self.context)
        for name, field in fields.items():
            relation = getattr(field, "child_relation", field)
            if field.read_only or getattr(relation, "queryset", None) is None:
                continue
            rule = self.related_access.get(name)
            relation.queryset = self._visible(relation.queryset, user, rule)
        return fields

    @staticmethod
    def _visible(queryset, user, rule):
        manager = queryset.model._default_manager
        if not hasattr(manager, "visible_to"):
            return queryset
        if user is None:
            return manager.none()
        if callable(rule):
            return rule(manager.visible_to(user, "view"), user)
        return manager.visible_to(user, rule or "view")


# A model serializer whose related fields offer only visible rows.
class TenantSerializer(VisibleRelated, serializers.ModelSerializer):
    pass


# A model serializer that only shows: every field in Meta.fields read-only (nested
# rows, catalogues, what the services write), as ``read_only_fields = fields`` would.
class ReadOnlySerializer(serializers.ModelSerializer):
    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra[name] = {**extra.get(name, {}), "read_only": True}
        return extra


# A request body (an action's input) whose related fields offer only visible rows.
class InputSerializer(VisibleRelated, serializers.Serializer):
    pass


class VersionField(serializers.IntegerField):
    """The version an update starts from (kinsight.core.versioning): required, a
    whole number; missing or null answers 400 ``{"version": [...]}``, a stale one 409."""

    def __init__(self, **kwargs):
        message = VersionMissing.api_message
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault(
            "help_text",
            "Versionen som ändringen utgår från (krävs). "
            "Är posten ändrad sedan dess svarar API:t 409.",
        )
        kwargs.setdefault(
            "error_messages",
            {"required": message, "null": message, "invalid": message, "min_value": message},
        )
        super().__init__(**kwargs)


# A model serializer whose updates (PUT and PATCH) must carry ``version``; creating
# needs none. Read, it shows the row's version.
class VersionedSerializer(TenantSerializer):
    version = VersionField(required=False)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if self.instance is not None and value.get("version") is None:
            raise serializers.ValidationError({"version": [str(VersionMissing.api_message)]})
        return value


# An action's body that changes a record: carries the version it read.
class VersionedInputSerializer(InputSerializer):
    version = VersionField()


# Viewsets ------------------------------------------------------------------------------


class TenantViewSet(viewsets.GenericViewSet):
    """List and detail of ``model`` rows the user may see, audited; subclasses add
    DRF's create, update and destroy mixins and write through the app's services.

    ``sight``: the action whose rows exist for the user (others answer 404);
    ``write_access``: the action PUT, PATCH and DELETE need on the row, checked before
    the service is called (403); None leaves it to the service, which may say more (a
    signed note answers 400 with why). An ``@action`` names its own with ``access=``;
    ``audit_reads``: which reads write an audit row (none for catalogues without
    personal data); ``select_related``, ``prefetch_related``, ``order_by``: how rows
    are fetched. ``rows()`` is the hook for another way to find them (a search)."""

    model: type[Model] | None = None
    sight: str = "view"
    write_access: str | None = None
    access: str | None = None  # set per route by @action(..., access="change")
    audit_reads: tuple[str, ...] = ("list", "retrieve")
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[Any, ...] = ()  # lookups or Prefetch objects
    order_by: tuple[str, ...] = ("pk",)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        serializer = getattr(cls, "serializer_class", None)
        versioned = isinstance(serializer, type) and issubclass(serializer, VersionedSerializer)
        # A base without a model (SignedNoteViewSet) is checked in its subclasses.
        if hasattr(cls, "partial_update") and not versioned and cls.model is not None:
            raise TypeError(f"{cls.__name__}: updates need a VersionedSerializer")

    @property
    def for_schema(self):
        """True while drf-spectacular builds the schema (no real request)."""
        return getattr(self, "swagger_fake_view", False)

    @property
    def object_type(self):
        return self.model._meta.label_lower

    def visible(self, action):
        return self.model.objects.visible_to(self.request.user, action)

    def rows(self):
        found = self.visible(self.sight).select_related(*self.select_related)
        return found.prefetch_related(*self.prefetch_related).order_by(*self.order_by)

    def get_queryset(self):
        if self.for_schema:
            return self.model.objects.none()
        return self.rows()

    def get_object(self):
        """The row (404 when not seen), refused with 403 when this request needs an
        action on it the user may not take."""
        obj = super().get_object()
        needed = self.access
        if needed is None and self.action in ("update", "partial_update", "destroy"):
            needed = self.write_access
        if needed in (None, self.sight):
            return obj
        if not self.visible(needed).filter(pk=obj.pk).exists():
            raise exceptions.PermissionDenied
        return obj

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        if "list" in self.audit_reads:
            audit_read_many(actor=request.user, objects=page, object_type=self.object_type)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        if "retrieve" in self.audit_reads:
            audit_read(actor=request.user, obj=obj)
        return self.respond(obj)

    def body(self, serializer_class):
        """An action's validated request body (400 with field errors otherwise)."""
        body = serializer_class(data=self.request.data, context={"request": self.request})
        body.is_valid(raise_exception=True)
        return body.validated_data

    def act(self, body_class, service, *, answer=None, status=status.HTTP_200_OK, **given):
        """An action that passes its validated body (None: the request has none) to
        ``service``: called with the actor, ``given`` (the record acted on, defaults the
        body may override) and the body's fields (``version`` as ``expected_version``);
        answers with the result."""
        data = dict(self.body(body_class)) if body_class else {}
        if "version" in data:
            data["expected_version"] = data.pop("version")
        result = service(actor=self.request.user, **{**given, **data})
        return self.respond(result, status=status, serializer_class=answer)

    def respond(self, obj, status=status.HTTP_200_OK, serializer_class=None):
        if serializer_class is None:
            return Response(self.get_serializer(obj).data, status=status)
        context = self.get_serializer_context()
        return Response(serializer_class(obj, context=context).data, status=status)


class CreateThroughService(mixins.CreateModelMixin):
    """POST creates through the service named in ``creates``: called with the actor
    and the validated body (its fields named as the service's arguments)."""

    creates: Callable[..., Any] | None = None

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        serializer.instance = type(self).creates(actor=self.request.user, **data)


def _stored(row: Model, name: str) -> Any:
    """A field's stored value; a many-to-many field's as the list of its rows."""
    value = getattr(row, name)
    return list(value.all()) if isinstance(value, BaseManager) else value


class UpdateThroughService(mixins.UpdateModelMixin):
    """PUT and PATCH save through the service named in ``updates``: called with the
    actor, the row as ``updated_as``, ``expected_version`` and every field named in
    ``update_fields`` (the body's value, else the row's)."""

    updates: Callable[..., Any] | None = None
    updated_as: str = ""
    update_fields: tuple[str, ...] = ()

    def perform_update(self, serializer):
        row, data = serializer.instance, serializer.validated_data
        values = {name: data.get(name, _stored(row, name)) for name in self.update_fields}
        serializer.instance = type(self).updates(
            actor=self.request.user,
            **{self.updated_as: row},
            expected_version=data["version"],
            **values,
        )


# What a signed note's serializer shows after its parent (journal note: the case and
# unit; minutes: the meeting), and which of those only the services write.
NOTE_FIELDS = [
    "author",
    "text",
    "corrects",
    "created_at",
    "updated_at",
    "signed_at",
    "signed_by",
    "version",
]
NOTE_READ_ONLY = ["author", "created_at", "updated_at", "signed_at", "signed_by"]


class SignTextSerializer(VersionedInputSerializer):
    text = serializers.CharField()


class SignedNoteViewSet(CreateThroughService, UpdateThroughService, TenantViewSet):
    """A signed note's endpoint (core.notes: journal notes, meeting minutes): POST
    creates a draft or a correction (``creates``), PATCH saves the author's draft
    (``updates``), POST …/sign/ locks the text for good (``signs``). The services check
    who may write and audit it."""

    updated_as = "note"
    update_fields = ("text",)
    signs: Callable[..., Any] | None = None

    @extend_schema(request=SignTextSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Signera: texten låses och kan aldrig ändras; fel rättas med en ny text."""
        return self.act(SignTextSerializer, type(self).signs, note=self.get_object())
