"""The municipality's support-group settings as every part reads them: the stored row,
or an unsaved one with the defaults when the municipality has never saved any (no open
list, the child's own consent from 15). No personal data: no audit."""

from kinsight.core.models import Municipality
from kinsight.groups.models import GroupSettings


def group_settings(municipality: Municipality | int) -> GroupSettings:
    """The settings of ``municipality`` (the object or its id); unsaved defaults when
    it has no row (``pk`` is None)."""
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    found = GroupSettings.objects.filter(municipality_id=municipality_id).first()
    return found or GroupSettings(municipality_id=municipality_id)
