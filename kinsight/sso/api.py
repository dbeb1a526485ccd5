"""The sso API's viewsets. ``ROUTES`` (prefix, viewset, basename) are registered on the
API router in config/urls.py. The municipality's sign-in configuration and its group →
role mappings, for administrators (everyone else sees no rows: 404)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers

from kinsight.core.apibase import (
    CreateThroughService,
    TenantSerializer,
    TenantViewSet,
    VersionedSerializer,
)
from kinsight.core.models import Role
from kinsight.sso import admin
from kinsight.sso.models import GroupRole, SsoConfig


class SsoConfigSerializer(VersionedSerializer):
    class Meta:
        model = SsoConfig
        fields = ["id", *admin.CONFIG_FIELDS, "version"]


# Inline in the schema: a second component with core's roles would make
# drf-spectacular rename MembershipRoleEnum (a collision with the family roles).
@extend_schema_field({"type": "string", "enum": list(Role.values)})
class RoleField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Role.choices, **kwargs)


class GroupRoleSerializer(TenantSerializer):
    role = RoleField()

    class Meta:
        model = GroupRole
        fields = ["id", "group", "role", "unit"]


class SsoConfigViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, TenantViewSet):
    """Inloggning via kommunens identitetsleverantör (OIDC eller SAML). Bara
    systemförvaltare. Klienthemligheten anges som källa (file: eller env:), aldrig
    själv."""

    model = SsoConfig
    serializer_class = SsoConfigSerializer
    audit_reads = ()  # configuration, no personal data

    def _save(self, serializer, base, version):
        data = serializer.validated_data
        values = {name: data.get(name, getattr(base, name)) for name in admin.CONFIG_FIELDS}
        serializer.instance = admin.sso_config_save(
            actor=self.request.user, data=values, expected_version=version
        )

    def perform_create(self, serializer):
        self._save(serializer, SsoConfig(), None)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance, serializer.validated_data["version"])


class GroupRoleViewSet(CreateThroughService, mixins.DestroyModelMixin, TenantViewSet):
    """Grupper hos identitetsleverantören som ger en roll i en enhet vid inloggning."""

    model = GroupRole
    serializer_class = GroupRoleSerializer
    creates = admin.group_role_add
    audit_reads = ()
    order_by = ("group", "role")

    def perform_destroy(self, instance):
        admin.group_role_remove(actor=self.request.user, group_role=instance)


ROUTES: list[tuple[str, type, str]] = [
    ("sso-config", SsoConfigViewSet, "sso-config"),
    ("sso-group-roles", GroupRoleViewSet, "sso-group-role"),
]
