"""What family work adds to the person and case pages (registered in apps.py;
kinsight.ui.panels): the family works the user may see, and on an open case the user
may change, the way to start one."""

from kinsight.family import queries
from kinsight.ui.panels import Panel


def person_family_panel(request, person, **_page):
    works = queries.family_works_for_person(actor=request.user, person=person)
    if not works:
        return None
    return Panel("family/_for_person.html", {"family_works": works}, order=20)


def case_family_panel(request, case, *, can_change=False, **_page):
    works = queries.family_works_for_case(actor=request.user, case=case)
    if not works and not can_change:
        return None
    context = {"family_works": works, "can_start_family": can_change}
    return Panel("family/_for_case.html", context, order=20)
