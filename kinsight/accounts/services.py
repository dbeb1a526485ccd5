"""Sign-in, two-factor devices, sessions and API tokens. Each writes its audit row."""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinsight.accounts.models import ApiToken
from kinsight.audit.models import AuditAction
from kinsight.audit.services import Actor, audit_record
from kinsight.core.models import User, new_session_salt


def _audit_about(
    user: User, action: str, *, actor: Actor, changes: dict[str, Any] | None = None
) -> None:
    # Technical accounts without a municipality have no chain to write to.
    if user.municipality_id:
        audit_record(actor=actor, action=action, obj=user, changes=changes)


def login_record(*, user: User, succeeded: bool, step: str) -> None:
    with transaction.atomic():
        action = AuditAction.LOGIN if succeeded else AuditAction.LOGIN_FAILED
        _audit_about(user, action, actor=user if succeeded else None, changes={"step": step})


def logout_record(*, user: User) -> None:
    with transaction.atomic():
        _audit_about(user, AuditAction.LOGOUT, actor=user)


def logout_everywhere(*, user: User) -> None:
    """End every session of the user (their auth hash changes) and revoke API tokens."""
    with transaction.atomic():
        user.session_salt = new_session_salt()
        user.save(update_fields=["session_salt"])
        revoked = ApiToken.objects.filter(user=user).delete()[0]
        _audit_about(user, AuditAction.LOGOUT_ALL, actor=user, changes={"tokens_revoked": revoked})


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def device_for_enrolment(user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, made on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Kinsight", confirmed=False)
    return device


def device_confirm(*, user: User, device: TOTPDevice) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _audit_about(user, AuditAction.UPDATE, actor=user, changes={"two_factor": [False, True]})


def device_reset(*, actor: User, user: User) -> None:
    """An administrator removes a lost phone's device; the user enrols again."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        # Whoever has the lost phone may also have a session or a token: end them.
        user.session_salt = new_session_salt()
        user.save(update_fields=["session_salt"])
        tokens = ApiToken.objects.filter(user=user).delete()[0]
        _audit_about(
            user,
            AuditAction.UPDATE,
            actor=actor,
            changes={"two_factor_reset": removed > 0, "tokens_revoked": tokens},
        )


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first (expired ones too, until revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created")


def _token_about(token: ApiToken) -> dict[str, Any]:
    return {"api_token": str(token.ref), "name": token.name}


def api_token_create(
    *, user: User, name: str, days: int | None = None, two_factor_verified: bool
) -> tuple[ApiToken, str]:
    """Make a named API token for the user and return it with the token text, which
    is stored only as a hash and so can be shown this once. Needs a session that
    passed the two-factor step; lasts ``days`` (at most KINSIGHT_API_TOKEN_DAYS)."""
    longest = settings.API_TOKEN_DAYS
    days = longest if days is None else days
    if not two_factor_verified:
        raise ValidationError(
            _(
                "Du behöver vara inloggad med tvåstegsverifiering för att skapa en "
                "API-nyckel. Aktivera tvåstegsverifiering, logga ut och logga in igen."
            ),
            code="not_verified",
        )
    if not 1 <= days <= longest:
        raise ValidationError(
            _("En API-nyckel gäller 1–%(days)s dagar.") % {"days": longest}, code="days"
        )
    name = name.strip()
    if not name:
        raise ValidationError(_("Ge nyckeln ett namn."), code="name")
    with transaction.atomic():
        # Locks the user's row so that two requests cannot both pass the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if api_tokens_of(user).count() >= settings.API_TOKENS_PER_USER:
            raise ValidationError(
                _("Du har redan %(limit)s API-nycklar. Återkalla en innan du skapar en ny.")
                % {"limit": settings.API_TOKENS_PER_USER},
                code="limit",
            )
        token, text = ApiToken.objects.create(
            user=user, expiry=datetime.timedelta(days=days), name=name
        )
        changes = {**_token_about(token), "expires": token.expiry.isoformat()}
        _audit_about(user, AuditAction.CREATE, actor=user, changes=changes)
        return token, text


def api_token_revoke(*, user: User, ref: uuid.UUID) -> ApiToken | None:
    """Revoke one of the user's tokens, named by its ``ref``; None if there is none
    such (another user's token is never found)."""
    with transaction.atomic():
        token = api_tokens_of(user).filter(ref=ref).first()
        if token is None:
            return None
        token.delete()
        _audit_about(user, AuditAction.DELETE, actor=user, changes=_token_about(token))
        return token


def api_tokens_revoke_all(*, user: User) -> int:
    with transaction.atomic():
        revoked = api_tokens_of(user).delete()[0]
        changes = {"api_token": "all", "tokens_revoked": revoked}
        _audit_about(user, AuditAction.DELETE, actor=user, changes=changes)
        return revoked


def api_token_expired(token: ApiToken, now: datetime.datetime | None = None) -> bool:
    return token.expiry is None or token.expiry <= (now or timezone.now())
