"""The log reviewer's view of the audit log (loggranskning)."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kinsight.audit.models import AuditAction, AuditEntry
from kinsight.audit.services import audit_read_many


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Vem (användarnamn)"), required=False)
    action = forms.ChoiceField(
        label=_("Händelse"), choices=[("", _("Alla"))] + AuditAction.choices, required=False
    )
    object_type = forms.CharField(label=_("Objekttyp"), required=False)
    object_id = forms.CharField(label=_("Objekt-id"), required=False)


def entry_list(request):
    if not request.user.is_log_reviewer:
        raise Http404
    entries = AuditEntry.objects.visible_to(request.user, "view")
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor__username=data["actor"])
        for name in ("action", "object_type", "object_id"):
            if data[name]:
                entries = entries.filter(**{name: data[name]})
    entries = entries.select_related("actor").order_by("-seq")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    audit_read_many(actor=request.user, objects=page.object_list, object_type="audit.auditentry")
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "nav": "audit", "query": query.urlencode()}
    return render(request, "audit/entry_list.html", context)
