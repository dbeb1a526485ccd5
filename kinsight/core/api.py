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
    UpdateThroughService,
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


class OrgUnitViewSet(mixins.CreateModelMixin, UpdateThroughService, TenantViewSet):
    """Organisationsenheter (nämnd, förvaltning, stadsdel, enhet)."""

    model = OrgUnit
    serializer_class = OrgUnitSerializer
    filterset_fields = ["kind", "unit_type", "parent", "is_active"]
    audit_reads = ()  # no personal data
    order_by = ("name",)
    updates = services.org_unit_update
    updated_as = "unit"
    update_fields = tuple(services.UNIT_FIELDS)
    update_as_data = True

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.org_unit_create(
            actor=self.request.user,
            parent=data.get("parent"),
            kind=data["kind"],
            name=data["name"],
            unit_type=data.get("unit_type", ""),
        )


class StaffViewSet(mixins.CreateModelMixin, UpdateThroughService, TenantViewSet):
    """Personal i kommunen, med sina roller. Bara systemförvaltare."""

    model = User
    serializer_class = StaffSerializer
    filterset_fields = ["is_active", "memberships__unit", "memberships__role"]
    sight = "change"  # staff records are the administrator's: others see 404, as in the UI
    audit_reads = ("retrieve",)  # as the staff pages: the list is not audited
    prefetch_related = ("memberships",)
    order_by = ("last_name", "first_name", "pk")
    updates = services.staff_update
    updated_as = "user"
    update_fields = tuple(services.STAFF_FIELDS)
    update_as_data = True

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
