"""Template tags for the case and person pages: the family work a case or person is
part of, as the current user may see it."""

from django import template

from kinsight.cases.models import Case
from kinsight.family import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def family_for_case(context, case):
    user = context["request"].user
    can_start = (
        not case.is_closed and Case.objects.visible_to(user, "change").filter(pk=case.pk).exists()
    )
    return {
        "family_works": queries.family_works_for_case(actor=user, case=case),
        "can_start_family": can_start,
    }


@register.simple_tag(takes_context=True)
def family_for_person(context, person):
    user = context["request"].user
    return {"family_works": queries.family_works_for_person(actor=user, person=person)}
