from django import template

from kinsight.imports.models import Outcome

register = template.Library()


@register.filter
def outcome_label(value: str) -> str:
    """The Swedish word for a row's outcome in the dry run."""
    return str(dict(Outcome.choices).get(value, value))
