"""What early detection adds to the case page (registered in apps.py;
kinsight.ui.panels): the child question's prompt above the case, the children as next
of kin below it. One audited read gives both."""

from kinsight.detection.queries import case_detection
from kinsight.ui.panels import Panel


def case_detection_panels(request, case, *, can_change=False, **_page):
    data = case_detection(actor=request.user, case=case) | {"can_change": can_change}
    return [
        Panel("detection/_case_prompt.html", data, order=10, slot="top"),
        Panel("detection/_case_children.html", data, order=10),
    ]
