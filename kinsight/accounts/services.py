"""Sign-in, two-factor devices, sessions and API tokens. Each writes its audit row."""

from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

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
        revoked = Token.objects.filter(user=user).delete()[0]
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
        Token.objects.filter(user=user).delete()
        _audit_about(
            user, AuditAction.UPDATE, actor=actor, changes={"two_factor_reset": removed > 0}
        )


def api_token_create(*, user: User) -> str:
    """Replace the user's API token with a new one and return its key (shown once)."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        _audit_about(user, AuditAction.CREATE, actor=user, changes={"api_token": "created"})
        return token.key


def api_token_revoke(*, user: User) -> int:
    with transaction.atomic():
        deleted = Token.objects.filter(user=user).delete()[0]
        _audit_about(user, AuditAction.DELETE, actor=user, changes={"api_token": "revoked"})
        return deleted
