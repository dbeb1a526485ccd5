from django import template

from kinsight.detection import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def detection_for_case(context, case):
    """The child question and children for the case page (audited reads)."""
    user = context["request"].user
    data = queries.case_detection(actor=user, case=case)
    data["can_change"] = context.get("can_change", False)
    return data
