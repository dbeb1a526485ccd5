"""Optimistic locking, one mechanism for every app: an update names the version of
the row it was read at; a missing version is refused (400), a stale one too (409 in
the API, the form kept with a message on pages). Nothing is guessed from the stored
row, so a concurrent save is never overwritten without a word.

- services: ``save_versioned(obj, expected_version=…, fields=…)``; every update
  service takes ``expected_version`` keyword-only without a default;
- pages: ``kinsight.core.forms.VersionField`` (hidden input), ``VersionedForm``;
- API: ``kinsight.core.apibase.VersionField``, ``VersionedSerializer``.
"""

from django.core.exceptions import BadRequest
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The version a record has before it exists: a form for the first answer (the child
# question, an assessment part, the first change of a plan) carries it, so a
# concurrent first save makes the second one stale instead of overwriting it.
NOT_YET_SAVED = 0


class StaleEdit(Exception):
    """Someone else saved the record after this edit started."""

    message = _(
        "Någon annan har sparat ändringar i det här under tiden. Dina ändringar är inte "
        "sparade men finns kvar i formuläret: jämför med den nya versionen och spara igen."
    )


class VersionMissing(BadRequest):
    """An update came without the version it was read at (a page or client that does
    not send it, or a crafted request). Refused as a whole (400), never guessed from
    the stored row: a guess would overwrite a concurrent save without a word. Pages
    answer with the message (kinsight.ui.views.bad_request), the API with
    ``{"version": [...]}`` (kinsight.core.apibase.exception_handler)."""

    message = gettext_lazy("Versionen saknas: ladda om sidan och försök igen.")
    api_message = gettext_lazy(
        "Versionen saknas: hämta posten igen och skicka med versionen som ändringen utgår från."
    )

    def __init__(self, message=None):
        super().__init__(message or self.message)


def save_versioned(obj, *, expected_version, fields):
    """Save ``fields`` only if the row still has ``expected_version`` (required: None
    is refused with VersionMissing)."""
    if expected_version is None:
        raise VersionMissing
    values = {name: getattr(obj, name) for name in fields}
    updated = (
        type(obj)
        ._base_manager.filter(pk=obj.pk, version=expected_version)
        .update(version=F("version") + 1, **values)
    )
    if not updated:
        raise StaleEdit(StaleEdit.message)
    obj.version = expected_version + 1
