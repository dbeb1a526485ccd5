"""API for early detection under /api/v1/ (the router in config/urls.py names these)."""

from kinsight.detection.api.children import (  # noqa: F401
    ChildFlagViewSet,
    ChildQuestionViewSet,
    ChildRecordStepViewSet,
    ChildRecordViewSet,
)
from kinsight.detection.api.reports import ConcernReportViewSet  # noqa: F401
