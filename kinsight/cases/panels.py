"""What cases adds to the person page (registered in apps.py; kinsight.ui.panels)."""

from kinsight.cases.queries import cases_for_person
from kinsight.ui.panels import Panel


def person_cases_panel(request, person, **_page):
    """The person's cases the user may see (audited by cases_for_person)."""
    cases = cases_for_person(actor=request.user, person=person)
    return Panel("cases/_for_person.html", {"cases": cases}, order=10)
