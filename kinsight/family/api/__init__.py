"""API for family work under /api/v1/ (the router in config/urls.py names these)."""

from kinsight.family.api.meetings import (  # noqa: F401
    FamilyMeetingViewSet,
    FollowUpTaskViewSet,
    MeetingNoteViewSet,
)
from kinsight.family.api.work import (  # noqa: F401
    ConsentViewSet,
    FamilyMemberViewSet,
    FamilyWorkViewSet,
    LinkedCaseViewSet,
    ParticipantViewSet,
)
