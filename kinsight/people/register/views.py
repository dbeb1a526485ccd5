"""The person page's "Hämta från folkbokföringen": a POST (the number never in a URL)
that shows the register's values beside Kinsight's, and the worker's choices posted
back to the same address (``action``: take, relation)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.core.services import StaleEdit
from kinsight.people import queries
from kinsight.people.register import services
from kinsight.ui.routes import route


def _compare_page(request, lookup, *, status=200):
    context = {
        "title": _("Folkbokföringen och Kinsight: %(name)s") % {"name": lookup.person},
        "person": lookup.person,
        "lookup": lookup,
        "nav": "people",
    }
    return render(request, "people/register_compare.html", context, status=status)


def _refused(request, person, error):
    """A refused choice: its reason, and the comparison as the register has it now
    (a new lookup); back to the person page when the register cannot answer."""
    messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    try:
        lookup = services.register_lookup(actor=request.user, person=person)
    except ValidationError as again:
        messages.error(request, " ".join(again.messages))
        return redirect("people:person_detail", pk=person.pk)
    return _compare_page(request, lookup, status=400)


def _take(request, person):
    version = request.POST.get("version", "")
    person = services.register_take(
        actor=request.user,
        person=person,
        take=request.POST.getlist("take"),
        digest=request.POST.get("digest", ""),
        expected_version=int(version) if version.isdigit() else None,
    )
    messages.success(request, _("Uppgifterna från folkbokföringen är sparade."))


def _relation(request, person):
    relative = services.register_relation_add(
        actor=request.user,
        person=person,
        identifier=request.POST.get("identifier", ""),
        digest=request.POST.get("digest", ""),
    )
    messages.success(
        request,
        _("%(relative)s är tillagd i familjen runt %(name)s.")
        % {"relative": relative, "name": person},
    )


CHOICES = {"take": _take, "relation": _relation}


@route("personer/<int:pk>/folkbokforingen/", name="register_lookup")
@require_POST
def register_lookup(request, pk):
    person = queries.person_for_write(actor=request.user, pk=pk)
    choice = CHOICES.get(request.POST.get("action", ""))
    if choice is None:
        try:
            lookup = services.register_lookup(actor=request.user, person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("people:person_detail", pk=person.pk)
        if lookup.protection_set:
            messages.warning(
                request,
                _(
                    "Folkbokföringen anger skyddade personuppgifter. Personen är nu "
                    "markerad med skyddade personuppgifter i Kinsight."
                ),
            )
        return _compare_page(request, lookup)
    try:
        choice(request, person)
    except (ValidationError, StaleEdit) as error:
        return _refused(request, person, error)
    return redirect(reverse("people:person_detail", args=[pk]))
