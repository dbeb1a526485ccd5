"""The upload form: what the file holds, and the file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kinsight.imports.models import ImportKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Filen innehåller"),
        choices=ImportKind.choices,
        error_messages={"required": _("Välj vad filen innehåller.")},
    )
    file = forms.FileField(
        label=_("Fil (CSV eller Excel)"),
        error_messages={"required": _("Välj en fil att ladda upp."), "empty": _("Filen är tom.")},
    )
