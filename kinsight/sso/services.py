"""Signing in through a municipality's identity provider: match the person to a member
of staff, check the two-factor assertion, give the roles the provider's groups map to,
and audit the sign-in or the refusal (without the person's claims: a refusal names its
reason, not who tried)."""

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.access import roles
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_created, audit_record
from kinsight.core.models import Membership, User
from kinsight.sso.models import GroupRole, MappedMembership, MatchField, SsoConfig, StaffIdentity

logger = logging.getLogger(__name__)


class SsoRefused(Exception):
    """A sign-in the service refuses: ``message`` for the person, ``reason`` (a code
    without personal data) for the audit log and the server log."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass
class Assertion:
    """What the provider said about the person, whichever the protocol."""

    protocol: str
    claims: dict[str, list[str]]
    mfa: set[str] = field(default_factory=set)

    def first(self, name: str) -> str:
        values = self.claims.get(name) or [""]
        return str(values[0]).strip()


def as_values(value: object) -> list[str]:
    """A claim as a list of texts (a claim may be one value or a list)."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(each) for each in value]
    return [str(value)]


# Where the operator puts what sign-in needs from outside the database. An
# administrator names a source, never the secret, and only these: otherwise the page
# could send any file or variable the application can read (its own key) to a
# provider of the administrator's choosing as the client secret.
SECRET_ENV_PREFIX = "KINSIGHT_OIDC_SECRET_"  # noqa: S105 - a name prefix, not a secret
DEFAULT_SECRETS_DIR = "/etc/kinsight/sso"


def secrets_dir() -> Path:
    return Path(getattr(settings, "KINSIGHT_SSO_SECRETS_DIR", DEFAULT_SECRETS_DIR)).resolve()


def allowed_path(path: str) -> bool:
    """A file in KINSIGHT_SSO_SECRETS_DIR (after following links)."""
    return bool(path) and Path(path).resolve().is_relative_to(secrets_dir())


def allowed_source(source: str) -> bool:
    """``env:KINSIGHT_OIDC_SECRET_<something>`` or ``file:<a file in the secrets dir>``."""
    kind, _sep, where = source.partition(":")
    if kind == "env":
        return where.startswith(SECRET_ENV_PREFIX) and len(where) > len(SECRET_ENV_PREFIX)
    return kind == "file" and allowed_path(where)


def secret_of(source: str) -> str:
    """The client secret from where ``source`` says it is: ``file:<path>`` or
    ``env:<NAME>``, within what allowed_source allows. The database keeps only the
    source."""
    kind, _sep, where = source.partition(":")
    secret = ""
    if allowed_source(source) and kind == "file":
        try:
            secret = Path(where).read_text(encoding="utf-8").strip()
        except OSError:
            secret = ""
    elif allowed_source(source):
        secret = os.environ.get(where, "").strip()
    if not secret:
        raise SsoRefused(
            _(
                "Inloggningen via identitetsleverantören är inte färdigkonfigurerad: "
                "klienthemligheten saknas. Systemförvaltaren anger "
                "”env:%(prefix)s<namn>” eller ”file:<fil i %(folder)s>” och "
                "driftansvarig lägger hemligheten där."
            )
            % {"prefix": SECRET_ENV_PREFIX, "folder": secrets_dir()},
            "secret_missing",
        )
    return secret


def refused(config: SsoConfig, reason: str, message: str, user: User | None = None) -> SsoRefused:
    """Audit a refused sign-in (naming the user only when the provider's person matched
    one) in its own transaction, log the reason, and return the error to raise."""
    with transaction.atomic():
        changes = {"step": "sso", "reason": reason}
        if user is not None:
            audit_record(actor=None, action=AuditAction.LOGIN_FAILED, obj=user, changes=changes)
        else:
            audit_record(
                actor=None,
                action=AuditAction.LOGIN_FAILED,
                obj=config,
                changes=changes,
            )
    logger.info("SSO sign-in refused: municipality=%s reason=%s", config.municipality_id, reason)
    return SsoRefused(message, reason)


# The provider cannot be reached or answers what cannot be read (discovery, metadata).
UNAVAILABLE = gettext_lazy(
    "Identitetsleverantören svarar inte som den ska just nu. Försök igen "
    "om en stund eller logga in med användarnamn och lösenord."
)
# How far behind ours the provider's clock may be when it says when the person signed in.
CLOCK_SKEW_SECONDS = 60
# The sign-in URL's parameter that asks the provider to ask the person again.
FRESH = "fresh"


def require_fresh(config: SsoConfig, signed_in_at: float | None, asked_at: float) -> None:
    """A confirmation before an export asked the provider to ask the person again (OIDC
    ``prompt=login``, SAML ``ForceAuthn``); a provider that answered from its own session
    instead (signed in before we asked, or not said when) is refused, so the confirmation
    proves what it claims to."""
    if signed_in_at is None or signed_in_at < asked_at - CLOCK_SKEW_SECONDS:
        raise refused(
            config,
            "not_reauthenticated",
            _(
                "Identitetsleverantören bekräftade inte att du loggade in på nytt. "
                "Försök igen; fortsätter det, be IT-avdelningen se över inställningen."
            ),
        )


def _matching(config: SsoConfig, value: str) -> list[User]:
    staff = User.objects.filter(municipality_id=config.municipality_id)
    if config.match_field == MatchField.EMPLOYEE_ID:
        staff = staff.filter(sso_identity__employee_id=value)
    elif config.match_field == MatchField.USERNAME:
        staff = staff.filter(username=value)
    else:
        staff = staff.filter(email__iexact=value)
    return list(staff[:2])


def _created(config: SsoConfig, assertion: Assertion, value: str) -> User:
    """A new member of staff without roles, for an unknown person (only when the
    administrator turned it on). Signs in only through the provider."""
    username = f"{config.municipality.code}-{value}"[:150]
    user = User(
        municipality_id=config.municipality_id,
        username=username,
        first_name=assertion.first("given_name")[:150],
        last_name=assertion.first("family_name")[:150],
        email=value if config.match_field == MatchField.EMAIL else assertion.first("email"),
    )
    user.set_unusable_password()
    user.save()
    if config.match_field == MatchField.EMPLOYEE_ID:
        StaffIdentity.objects.create(
            municipality_id=config.municipality_id, user=user, employee_id=value
        )
    audit_created(None, user, ["username", "first_name", "last_name", "email"], source="sso")
    return user


def _two_factor(config: SsoConfig, assertion: Assertion, user: User | None) -> bool:
    """Whether the sign-in counts as two-factor; refused when it must and does not."""
    accepted = config.accepted_mfa
    if accepted & assertion.mfa:
        return True
    if accepted:
        raise refused(
            config,
            "mfa_missing",
            _(
                "Inloggningen saknar tvåstegsverifiering. Logga in igen hos "
                "identitetsleverantören med e-legitimation, SITHS-kort eller annan "
                "tvåfaktorsinloggning."
            ),
            user,
        )
    if settings.OTP_REQUIRED:
        raise refused(
            config,
            "mfa_not_configured",
            _(
                "Tvåstegsverifiering krävs men inga godkända värden är angivna för "
                "identitetsleverantören. Systemförvaltaren anger dem under Inloggning."
            ),
            user,
        )
    return False


def _sync_roles(config: SsoConfig, user: User, groups: set[str]) -> dict[str, list[str]]:
    """Give the roles the provider's groups map to and end the mapped roles whose group
    is gone. Without mappings nothing changes: roles come from Kinsight alone."""
    mappings = list(GroupRole.objects.filter(config=config))
    if not mappings:
        return {}
    wanted = {(m.role, m.unit_id): m.group for m in mappings if m.group in groups}
    given = MappedMembership.objects.filter(membership__user=user).select_related("membership")
    held = {(m.membership.role, m.membership.unit_id): m for m in given}
    added, ended = [], []
    for (role, unit_id), mapped in held.items():
        if (role, unit_id) not in wanted:
            membership = mapped.membership
            changes = {"role": [role, None], "unit": [unit_id, None], "source": "sso"}
            audit_record(actor=None, action=AuditAction.DELETE, obj=membership, changes=changes)
            membership.delete()
            ended.append(role)
    own = set(Membership.objects.filter(user=user).values_list("role", "unit_id"))
    for (role, unit_id), group in wanted.items():
        if (role, unit_id) in held or (role, unit_id) in own:
            continue
        membership = Membership.objects.create(
            municipality_id=config.municipality_id, user=user, unit_id=unit_id, role=role
        )
        MappedMembership.objects.create(
            municipality_id=config.municipality_id, membership=membership, group=group
        )
        audit_created(None, membership, ["user", "unit", "role"], source="sso")
        added.append(role)
    roles.forget(user)
    return {"roles_added": sorted(added), "roles_ended": sorted(ended)}


def sso_sign_in(*, config: SsoConfig, assertion: Assertion) -> tuple[User, bool]:
    """The member of staff the provider's person is, and whether the sign-in counts as
    two-factor. Raises SsoRefused (audited) for an unknown or ambiguous person, an
    inactive account, or a missing two-factor assertion."""
    value = assertion.first(config.match_claim)
    found = _matching(config, value) if value else []
    if len(found) > 1:
        raise refused(
            config,
            "ambiguous",
            _("Flera konton matchar inloggningen. Kontakta systemförvaltaren."),
        )
    user = found[0] if found else None
    if user is None and not (value and config.create_unknown_users):
        raise refused(
            config,
            "unknown_user",
            _(
                "Du har inget konto i Kinsight för den här kommunen. Be systemförvaltaren "
                "lägga upp dig som personal."
            ),
        )
    if user is not None and not user.is_active:
        raise refused(
            config,
            "inactive",
            _("Ditt konto i Kinsight är inaktiverat. Kontakta systemförvaltaren."),
            user,
        )
    mfa = _two_factor(config, assertion, user)
    with transaction.atomic():
        if user is None:
            user = _created(config, assertion, value)
        changes = {"step": "sso", "protocol": assertion.protocol, "two_factor": mfa}
        changes.update(
            _sync_roles(config, user, set(assertion.claims.get(config.groups_claim, [])))
        )
        audit_record(actor=user, action=AuditAction.LOGIN, obj=user, changes=changes)
    return user, mfa


def config_for(code: str, protocol: str) -> SsoConfig | None:
    """The sign-in configuration of the municipality with ``code`` for ``protocol``."""
    return (
        SsoConfig.objects.select_related("municipality")
        .filter(municipality__code=code, protocol=protocol)
        .first()
    )


def configured() -> list[SsoConfig]:
    """Every municipality that signs in through a provider (the sign-in page's links)."""
    return list(
        SsoConfig.objects.select_related("municipality")
        .filter(~Q(protocol="none"))
        .order_by("municipality__name")
    )
