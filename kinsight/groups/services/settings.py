"""The municipality's settings for support groups (one row, made on the first save):
whether the open group list is shown, and from what age a child's own consent to
measurement is needed. Kept by administrators and heads of services."""

from django.db import transaction

from kinsight.access.rules import municipality_id_of
from kinsight.audit.services import audit_updated, diff, snapshot
from kinsight.core.models import User
from kinsight.core.services import create_audited
from kinsight.groups.models import GroupSettings
from kinsight.groups.queries_settings import group_settings
from kinsight.groups.services.catalogue import require_catalogue_keeper

SETTINGS_FIELDS = ["public_list", "own_consent_age"]


def settings_set(*, actor: User, public_list: bool, own_consent_age: int) -> GroupSettings:
    """Change the settings of the actor's municipality; the first save creates its row
    (audited as a creation, later saves as the fields that changed; a save that
    changes nothing writes nothing). The row holds no personal data and the last save
    wins: there is no version to compare."""
    require_catalogue_keeper(actor)
    values = {"public_list": public_list, "own_consent_age": own_consent_age}
    with transaction.atomic():
        current = group_settings(municipality_id_of(actor))
        if current.pk is None:
            return create_audited(actor, GroupSettings, SETTINGS_FIELDS, clean=True, **values)
        before = snapshot(current, SETTINGS_FIELDS)
        for name, value in values.items():
            setattr(current, name, value)
        current.full_clean()
        changes = diff(before, snapshot(current, SETTINGS_FIELDS))
        if not changes:
            return current
        current.save(update_fields=SETTINGS_FIELDS)
        return audit_updated(actor, current, changes)
