"""Shared template tags of the user interface. They never query."""

import re

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.DOTALL | re.IGNORECASE)


class ScrollTableNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist = nodelist
        self.label = label

    def render(self, context):
        content = self.nodelist.render(context)
        label = self.label.resolve(context) if self.label else None
        if not label:
            found = CAPTION.search(content)
            label = " ".join(strip_tags(found.group(1)).split()) if found else ""
        # "Tabell: …" keeps the region apart from the section of the same name around it.
        label = _("Tabell: %(name)s") % {"name": label} if label else _("Tabell")
        return format_html(
            '<div class="table-scroll" tabindex="0" role="region" aria-label="{}">{}</div>',
            label,
            mark_safe(content),  # noqa: S308 - the rendered template, escaped already
        )


@register.tag
def scrolltable(parser, token):
    """{% scrolltable [label] %}<table>…</table>{% endscrolltable %}: the table in a
    region that scrolls sideways on a narrow screen and can be reached and scrolled with
    the keyboard. The region is named "Tabell: " and ``label``, or else the table's caption.
    """
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("scrolltable takes at most one argument, a label")
    label = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    nodelist = parser.parse(("endscrolltable",))
    parser.delete_first_token()
    return ScrollTableNode(nodelist, label)
