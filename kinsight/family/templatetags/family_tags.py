"""Template tags for the case and person pages: the family work a case or person is
part of, as the current user may see it."""

from django import template

from kinsight.cases import queries as case_queries
from kinsight.family import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def family_for_case(context, case):
    user = context["request"].user
    can_start = not case.is_closed and case_queries.case_can_change(actor=user, case=case)
    return {
        "family_works": queries.family_works_for_case(actor=user, case=case),
        "can_start_family": can_start,
    }


@register.simple_tag(takes_context=True)
def family_for_person(context, person):
    user = context["request"].user
    return {"family_works": queries.family_works_for_person(actor=user, person=person)}
