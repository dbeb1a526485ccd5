"""A municipality's single sign-on: which protocol, how to reach its identity provider,
how a signed-in person is matched to a member of staff, which assertions count as
two-factor and which of the provider's groups give which role."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinsight.access.querysets import RoleQuerySet, TenantQuerySet
from kinsight.core import fields
from kinsight.core.models import Municipality, OrgUnit, Role, TenantModel, User, Versioned


class Protocol(models.TextChoices):
    NONE = "none", _("Inget (lokala konton)")
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class MatchField(models.TextChoices):
    """The field of the member of staff that the provider's claim or attribute is
    compared with."""

    EMAIL = "email", _("E-postadress")
    USERNAME = "username", _("Användarnamn")
    EMPLOYEE_ID = "employee_id", _("Anställningsnummer")


class AdministratorOnly(RoleQuerySet):
    """Sign-in configuration is for the municipality's administrators only."""

    actions = ("view", "change", "create", "delete")


class SsoConfig(TenantModel, Versioned):
    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, editable=False, related_name="sso_config"
    )
    protocol = fields.choice(_("inloggningssätt"), Protocol, max_length=10, default=Protocol.NONE)
    provider_name = models.CharField(
        _("identitetsleverantörens namn"),
        max_length=100,
        blank=True,
        help_text=_("Visas på inloggningssidan: ”Logga in med …”."),
    )
    # OpenID Connect
    oidc_issuer = models.URLField(
        _("utfärdare (issuer)"),
        blank=True,
        help_text=_("Adressen som /.well-known/openid-configuration läses från."),
    )
    oidc_client_id = models.CharField(_("klient-id"), max_length=200, blank=True)
    oidc_secret_source = models.CharField(
        _("klienthemlighetens källa"),
        max_length=300,
        blank=True,
        help_text=_(
            "Var hemligheten finns, aldrig hemligheten själv: ”env:KINSIGHT_OIDC_SECRET_…” "
            "eller ”file:” och en fil i mappen för inloggningshemligheter."
        ),
    )
    oidc_scopes = models.CharField(
        _("scopes"), max_length=200, default="openid email profile", blank=True
    )
    # SAML 2.0
    saml_idp_metadata_url = models.URLField(_("IdP:ns metadata (adress)"), blank=True)
    saml_idp_metadata_xml = models.TextField(_("IdP:ns metadata (XML)"), blank=True)
    saml_sp_entity_id = models.CharField(
        _("tjänstens entitets-id"),
        max_length=300,
        blank=True,
        help_text=_("Tomt: adressen till tjänstens metadata."),
    )
    saml_sp_key_file = models.CharField(
        _("tjänstens privata nyckel (sökväg)"), max_length=300, blank=True
    )
    saml_sp_cert_file = models.CharField(
        _("tjänstens certifikat (sökväg)"), max_length=300, blank=True
    )
    # Matching, two-factor, roles
    match_claim = models.CharField(
        _("attribut som identifierar personalen"),
        max_length=200,
        default="email",
        help_text=_("Claim (OIDC) eller attribut (SAML), t.ex. email eller employeeNumber."),
    )
    match_field = fields.choice(
        _("jämförs med"), MatchField, max_length=20, default=MatchField.EMAIL
    )
    groups_claim = models.CharField(
        _("attribut med grupper"), max_length=200, default="groups", blank=True
    )
    mfa_values = models.TextField(
        _("värden som räknas som tvåstegsverifiering"),
        blank=True,
        help_text=_(
            "Ett per rad: OIDC acr eller amr (t.ex. mfa), SAML AuthnContextClassRef. "
            "Tomt: ingen inloggning räknas som tvåstegsverifierad."
        ),
    )
    create_unknown_users = models.BooleanField(
        _("skapa okända användare utan roller"), default=False
    )

    objects: ClassVar = AdministratorOnly.as_manager()

    class Meta:
        verbose_name = _("inloggning via identitetsleverantör")
        verbose_name_plural = _("inloggningar via identitetsleverantör")

    def __str__(self) -> str:
        return self.provider_name or self.get_protocol_display()

    @property
    def accepted_mfa(self) -> set[str]:
        return {line.strip() for line in self.mfa_values.splitlines() if line.strip()}


class GroupRole(TenantModel):
    """A group of the provider gives a role in a unit, while the person is in it."""

    config = fields.reference(SsoConfig, on_delete=models.CASCADE, related_name="group_roles")
    group = models.CharField(_("grupp"), max_length=300)
    role = fields.choice(_("roll"), Role, max_length=30)
    unit = fields.reference(OrgUnit, _("enhet"))

    objects: ClassVar = AdministratorOnly.as_manager()

    class Meta:
        verbose_name = _("grupp som ger roll")
        verbose_name_plural = _("grupper som ger roller")
        ordering = ["group", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "group", "role", "unit"], name="sso_group_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.get_role_display()}"


class StaffIdentity(TenantModel):
    """The member of staff's employee id, matched when ``match_field`` is employee_id."""

    user = fields.reference(User, on_delete=models.CASCADE, related_name="sso_identity")
    employee_id = models.CharField(_("anställningsnummer"), max_length=100)

    objects: ClassVar = AdministratorOnly.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "employee_id"], name="sso_employee_id_unique"
            ),
            # One per member of staff (the user is in the municipality).
            models.UniqueConstraint(fields=["municipality", "user"], name="sso_identity_unique"),
        ]

    def __str__(self) -> str:
        return self.employee_id


class MappedMembership(TenantModel):
    """A role given by a provider group (GroupRole): ended when the group is gone at a
    later sign-in. Roles an administrator gives in Kinsight are never touched."""

    membership = fields.reference(
        "core.Membership", on_delete=models.CASCADE, related_name="sso_mapping"
    )
    group = models.CharField(max_length=300)

    objects: ClassVar = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "membership"], name="sso_mapped_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return self.group
