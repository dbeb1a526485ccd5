"""API for the support groups under /api/v1/ (the router in config/urls.py names these):
the catalogue (providers, grants, programmes, the leader register), cycles and what
hangs on them, and the effect and reach as aggregates. The services and
kinsight.groups.access decide, as on the pages."""

from kinsight.groups.api.applications import (  # noqa: F401
    GroupApplicationViewSet,
    GroupSettingsViewSet,
)
from kinsight.groups.api.catalogue import (  # noqa: F401
    LeaderTrainingViewSet,
    ProgrammeViewSet,
    ProviderGrantViewSet,
    ProviderViewSet,
)
from kinsight.groups.api.cycles import (  # noqa: F401
    AttendanceViewSet,
    CycleViewSet,
    GroupParticipantViewSet,
    MeasurementCodeViewSet,
    MeasurementViewSet,
    SessionViewSet,
)
from kinsight.groups.api.notes import CycleNoteViewSet  # noqa: F401
from kinsight.groups.api.reports import EffectViewSet, ReachViewSet  # noqa: F401
from kinsight.groups.api.talks import IndividualTalkViewSet  # noqa: F401
