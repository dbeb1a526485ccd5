"""The support groups' panels on pages of the apps below: on a child's record (barn
som anhörig) the way to offer a support group, for those who may change the record."""

from django.urls import reverse

from kinsight.ui.panels import Panel


def child_offer_panel(request, record, *, can_change=False, **facts):
    """No read: only the link, for a worker who may change a born child's record."""
    if not can_change or record.is_expected:
        return None
    url = reverse("groups:child_offer", args=[record.pk])
    return Panel("groups/_child_offer_panel.html", {"url": url}, order=50)
