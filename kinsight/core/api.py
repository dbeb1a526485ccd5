"""REST API for the organisation and staff, under /api/v1/.

Reads go through visible_to(user, action) (what may not be seen answers 404), writes
through the same services as the UI. Errors are JSON with a ``detail`` message.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, mixins, serializers

from kinsight.core import services
from kinsight.core.apibase import (
    CreateThroughService,
    TenantSerializer,
    TenantViewSet,
    VersionedSerializer,
)
from kinsight.core.models import Membership, OrgUnit, User


class OrgUnitSerializer(VersionedSerializer):
    # The stubs see Field.parent (the serializer a field is bound to); DRF moves a
    # declared field off the class, so this is the org unit's field "parent".
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=OrgUnit.objects.none(), allow_null=True, required=False
    )

    class Meta:
        model = OrgUnit
        fields = ["id", "name", "kind", "unit_type", "parent", "is_active", "version"]


class MembershipSerializer(TenantSerializer):
    related_access = {"user": "change"}

    class Meta:
        model = Membership
        fields = ["id", "user", "unit", "role", "valid_from", "valid_to"]


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


def _update_through(view, serializer, service, name, fields):
    """PUT and PATCH of a unit or a member of staff: every field of ``fields`` (the
    body's value, else the stored one) to ``service`` as its one ``data`` mapping, the
    row as ``name`` (core.apibase.UpdateThroughService does the same with arguments)."""
    row, body = serializer.instance, serializer.validated_data
    data = {field: body.get(field, getattr(row, field)) for field in fields}
    serializer.instance = service(
        actor=view.request.user, **{name: row}, expected_version=body["version"], data=data
    )


class OrgUnitViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, TenantViewSet):
    """Organisationsenheter (nämnd, förvaltning, stadsdel, enhet)."""

    model = OrgUnit
    serializer_class = OrgUnitSerializer
    filterset_fields = ["kind", "unit_type", "parent", "is_active"]
    audit_reads = ()  # no personal data
    order_by = ("name",)

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
        _update_through(self, serializer, services.org_unit_update, "unit", services.UNIT_FIELDS)


class StaffViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, TenantViewSet):
    """Personal i kommunen, med sina roller. Bara systemförvaltare."""

    model = User
    serializer_class = StaffSerializer
    filterset_fields = ["is_active", "memberships__unit", "memberships__role"]
    sight = "change"  # staff records are the administrator's: others see 404, as in the UI
    audit_reads = ("retrieve",)  # as the staff pages: the list is not audited
    prefetch_related = ("memberships",)
    order_by = ("last_name", "first_name", "pk")

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
        _update_through(self, serializer, services.staff_update, "user", services.STAFF_FIELDS)


class MembershipViewSet(CreateThroughService, mixins.DestroyModelMixin, TenantViewSet):
    """Roller: en medarbetares roll i en organisationsenhet."""

    model = Membership
    serializer_class = MembershipSerializer
    creates = services.membership_add
    filterset_fields = ["user", "unit", "role"]
    sight = "change"
    audit_reads = ()
    select_related = ("unit",)

    def perform_destroy(self, instance):
        services.membership_remove(actor=self.request.user, membership=instance)
