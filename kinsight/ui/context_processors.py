from django.conf import settings
from django.utils.functional import SimpleLazyObject

from kinsight.access.roles import unit_types
from kinsight.core.models import Role, UnitType

WORK_ROLES = (Role.CASE_WORKER, Role.UNIT_MANAGER)
GROUP_ROLES = (Role.GROUP_LEADER, Role.HEAD_OF_SERVICES)


def may(user):
    """What the navigation and shared buttons offer: only what the user may do. Read
    from the role scopes every page loads anyway, so no query of its own.

    - case_work: person search, my cases, family work, referrals (case workers and unit
      managers: nobody else sees persons or cases).
    - register_person: a work role in an active unit (people.forms.work_units).
    - reports: a work role in an active children-and-youth unit, which receives concern
      reports (detection.services.receiving_units).
    """
    if not (user.is_authenticated and user.municipality_id):
        return {"case_work": False, "register_person": False, "reports": False}
    work = user.units_with_role(*WORK_ROLES)
    types = unit_types(user)
    work_types = {types[unit] for unit in work if unit in types}
    return {
        "case_work": bool(work),
        "register_person": bool(work_types - {""}),
        "reports": UnitType.CHILDREN_YOUTH in work_types,
        "groups": user.is_administrator or bool(user.units_with_role(*GROUP_ROLES)),
    }


def kinsight(request):
    user = getattr(request, "user", None)
    context = {"DEMO": settings.DEMO}
    if user is not None:
        context["may"] = SimpleLazyObject(lambda: may(user))
    return context
