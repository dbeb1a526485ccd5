"""REST API for the organisation and staff, under /api/v1/.

Reads go through visible_to(user, action) (what may not be seen answers 404), writes
through the same services as the UI. Errors are JSON with a ``detail`` message.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kinsight.core import services
from kinsight.core.models import Membership, OrgUnit, User
from kinsight.core.versioning import StaleEdit, VersionMissing


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
    return drf_exception_handler(exc, context)


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


class VersionedSerializer(serializers.ModelSerializer):
    """A model serializer whose updates (PUT and PATCH) must carry ``version``;
    creating needs none. Read, it shows the row's version."""

    version = VersionField(required=False)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if self.instance is not None and value.get("version") is None:
            raise serializers.ValidationError({"version": [str(VersionMissing.api_message)]})
        return value


class OrgUnitSerializer(VersionedSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.none(), allow_null=True, required=False
    )

    class Meta:
        model = OrgUnit
        fields = ["id", "name", "kind", "unit_type", "parent", "is_active", "version"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["parent"].queryset = OrgUnit.objects.visible_to(request.user, "view")
        return fields


class MembershipSerializer(serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())

    class Meta:
        model = Membership
        fields = ["id", "user", "unit", "role", "valid_from", "valid_to"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["user"].queryset = User.objects.visible_to(request.user, "change")
            fields["unit"].queryset = OrgUnit.objects.visible_to(request.user, "view")
        return fields


class StaffSerializer(VersionedSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)
    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "title",
            "is_active",
            "memberships",
            "password",
            "version",
        ]


class _ServiceViewSet(viewsets.GenericViewSet):
    """Reads filtered by visible_to; lists are for administrators (the admin pages'
    rule); everything else answers 404."""

    model = None

    def get_queryset(self):
        action = "view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "change"
        return self.model.objects.visible_to(self.request.user, action)

    def _expected_version(self, serializer, instance):
        return serializer.validated_data["version"]


class OrgUnitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _ServiceViewSet,
):
    """Organisationsenheter (nämnd, förvaltning, stadsdel, enhet)."""

    model = OrgUnit
    serializer_class = OrgUnitSerializer
    filterset_fields = ["kind", "unit_type", "parent", "is_active"]

    def get_queryset(self):
        return super().get_queryset().order_by("name")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.org_unit_create(
            actor=self.request.user,
            parent=data.get("parent"),
            kind=data["kind"],
            name=data["name"],
            unit_type=data.get("unit_type", ""),
        )

    def perform_update(self, serializer):
        unit = serializer.instance
        data = {name: getattr(unit, name) for name in services.UNIT_FIELDS}
        data.update({k: v for k, v in serializer.validated_data.items() if k != "version"})
        serializer.instance = services.org_unit_update(
            actor=self.request.user,
            unit=unit,
            expected_version=self._expected_version(serializer, unit),
            data=data,
        )


class StaffViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _ServiceViewSet,
):
    """Personal i kommunen, med sina roller. Bara systemförvaltare."""

    model = User
    serializer_class = StaffSerializer
    filterset_fields = ["is_active", "memberships__unit", "memberships__role"]

    def get_queryset(self):
        # Staff records are the administrator's: others see 404 here as in the UI.
        return (
            User.objects.visible_to(self.request.user, "change")
            .prefetch_related("memberships")
            .order_by("last_name", "first_name", "pk")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        if not data.get("password"):
            raise exceptions.ValidationError({"password": ["Ange ett tillfälligt lösenord."]})
        from django.contrib.auth.password_validation import validate_password

        try:
            validate_password(data["password"])
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"password": error.messages}) from None
        serializer.instance = services.staff_create(
            actor=self.request.user,
            username=data["username"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            email=data.get("email", ""),
            title=data.get("title", ""),
            password=data["password"],
        )

    def perform_update(self, serializer):
        user = serializer.instance
        data = {name: getattr(user, name) for name in services.STAFF_FIELDS}
        data.update(
            {k: v for k, v in serializer.validated_data.items() if k in services.STAFF_FIELDS}
        )
        serializer.instance = services.staff_update(
            actor=self.request.user,
            user=user,
            expected_version=self._expected_version(serializer, user),
            data=data,
        )

    def retrieve(self, request, *args, **kwargs):
        from kinsight.audit.services import audit_read

        instance = self.get_object()
        audit_read(actor=request.user, obj=instance)
        return Response(self.get_serializer(instance).data)


class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    _ServiceViewSet,
):
    """Roller: en medarbetares roll i en organisationsenhet."""

    model = Membership
    serializer_class = MembershipSerializer
    filterset_fields = ["user", "unit", "role"]

    def get_queryset(self):
        return (
            Membership.objects.visible_to(self.request.user, "change")
            .select_related("unit")
            .order_by("pk")
        )

    def perform_create(self, serializer):
        serializer.instance = services.membership_add(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.membership_remove(actor=self.request.user, membership=instance)
