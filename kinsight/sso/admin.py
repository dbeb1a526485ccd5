"""The administrator's writes to the municipality's sign-in configuration. Each
checks the role, validates, writes and audits in one transaction."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinsight.access.rules import municipality_id_of, require, require_administrator
from kinsight.audit.services import audit_updated
from kinsight.core.models import OrgUnit, User
from kinsight.core.services import create_audited, delete_audited, update_audited
from kinsight.sso.models import GroupRole, Protocol, SsoConfig, StaffIdentity
from kinsight.sso.services import SECRET_ENV_PREFIX, allowed_path, allowed_source, secrets_dir

CONFIG_FIELDS = [
    "protocol",
    "provider_name",
    "oidc_issuer",
    "oidc_client_id",
    "oidc_secret_source",
    "oidc_scopes",
    "saml_idp_metadata_url",
    "saml_idp_metadata_xml",
    "saml_sp_entity_id",
    "saml_sp_key_file",
    "saml_sp_cert_file",
    "match_claim",
    "match_field",
    "groups_claim",
    "mfa_values",
    "create_unknown_users",
]
GROUP_ROLE_FIELDS = ["group", "role", "unit"]


def sso_config_of(*, actor: User) -> SsoConfig:
    """The actor's municipality's configuration (unsaved, local accounts, if none yet)."""
    require_administrator(actor)
    found = SsoConfig.objects.visible_to(actor, "view").first()
    return found or SsoConfig(municipality_id=municipality_id_of(actor))


def _check(data: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    if data["protocol"] == Protocol.OIDC:
        for name in ("oidc_issuer", "oidc_client_id"):
            if not data[name]:
                errors[name] = _("Krävs för OpenID Connect.")
        if not allowed_source(data["oidc_secret_source"]):
            errors["oidc_secret_source"] = _(
                "Ange var hemligheten finns, aldrig hemligheten själv: "
                "”env:%(prefix)s<namn>” eller ”file:<fil i %(folder)s>”."
            ) % {"prefix": SECRET_ENV_PREFIX, "folder": secrets_dir()}
    if data["protocol"] == Protocol.SAML:
        if not (data["saml_idp_metadata_url"] or data["saml_idp_metadata_xml"]):
            errors["saml_idp_metadata_url"] = _("Ange IdP:ns metadata som adress eller XML.")
        elif data["saml_idp_metadata_url"] and not data["saml_idp_metadata_url"].startswith(
            "https://"
        ):
            errors["saml_idp_metadata_url"] = _(
                "Adressen måste börja med https:// (metadata över http kan ändras på vägen)."
            )
        files = [data["saml_sp_key_file"], data["saml_sp_cert_file"]]
        if any(files) and not all(allowed_path(name) for name in files):
            errors["saml_sp_cert_file"] = _(
                "Ange både nyckel och certifikat som filer i %(folder)s, eller ingetdera."
            ) % {"folder": secrets_dir()}
    if data["protocol"] != Protocol.NONE and not data["match_claim"]:
        errors["match_claim"] = _("Ange vilket attribut som identifierar personalen.")
    if errors:
        raise ValidationError(errors)


def sso_config_save(
    *, actor: User, data: Mapping[str, Any], expected_version: int | None = None
) -> SsoConfig:
    """Create or change the municipality's sign-in configuration."""
    config = sso_config_of(actor=actor)
    _check(data)
    values = {name: data[name] for name in CONFIG_FIELDS}
    with transaction.atomic():
        if config.pk is None:
            return create_audited(actor, SsoConfig, CONFIG_FIELDS, clean=True, **values)
        require(SsoConfig.objects.visible_to(actor, "change"), config)
        return update_audited(actor, config, values, expected_version=expected_version, clean=True)


def group_role_add(*, actor: User, group: str, role: str, unit: OrgUnit) -> GroupRole:
    """A provider group that gives ``role`` in ``unit`` at sign-in."""
    config = sso_config_of(actor=actor)
    if config.pk is None:
        raise ValidationError(_("Spara inloggningsinställningarna först."))
    if unit.municipality_id != config.municipality_id:
        raise ValidationError({"unit": _("Välj en enhet i din egen kommun.")})
    group = group.strip()
    with transaction.atomic():
        if GroupRole.objects.filter(config=config, group=group, role=role, unit=unit).exists():
            raise ValidationError({"group": _("Gruppen ger redan den rollen i enheten.")})
        return create_audited(
            actor, GroupRole, GROUP_ROLE_FIELDS, config=config, group=group, role=role, unit=unit
        )


def group_role_remove(*, actor: User, group_role: GroupRole) -> GroupRole:
    """Stop giving the role; roles already given end at the person's next sign-in."""
    require(GroupRole.objects.visible_to(actor, "delete"), group_role)
    with transaction.atomic():
        delete_audited(actor, group_role, GROUP_ROLE_FIELDS)
    return group_role


def staff_identity_set(*, actor: User, user: User, employee_id: str) -> StaffIdentity:
    """Set the member of staff's employee id (matched when the provider sends it)."""
    require(User.objects.visible_to(actor, "change"), user)
    employee_id = employee_id.strip()
    with transaction.atomic():
        taken = StaffIdentity.objects.filter(
            municipality_id=municipality_id_of(actor), employee_id=employee_id
        ).exclude(user=user)
        if taken.exists():
            raise ValidationError(
                {"employee_id": _("Anställningsnumret hör redan till någon annan.")}
            )
        identity = StaffIdentity.objects.filter(user=user).first()
        if identity is None:
            return create_audited(
                actor, StaffIdentity, ["user", "employee_id"], user=user, employee_id=employee_id
            )
        changes = {"employee_id": [identity.employee_id, employee_id]}
        identity.employee_id = employee_id
        identity.save(update_fields=["employee_id"])
        audit_updated(actor, identity, changes)
        return identity
