"""The competence-needs inventory: the list (the network leader opens one), an
inventory's page (the leader: the compilation per area and member with totals, the
status per member and the training offer made from it; a member's head of services:
its own answers and the answer form until the deadline; a unit manager reads its own
municipality's answers)."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.network import offer, queries
from kinsight.network.forms import CourseForm, InventoryAnswerForm, InventoryForm
from kinsight.network.models import Inventory
from kinsight.network.views import list_form, list_page, posted, user_of
from kinsight.ui.forms_flow import call_with
from kinsight.ui.routes import route


@route("natverk/inventering/", name="inventories")
def inventory_list(request: HttpRequest) -> HttpResponse:
    user, form = list_form(request, InventoryForm)
    context = {
        "title": _("Kompetensinventering"),
        "inventories": list(queries.inventories(user)),
        "nav": "network_inventory",
    }
    call = call_with(offer.inventory_open, "year", "deadline", "extra_areas", actor=user)
    done = _("Inventeringen är öppnad.")
    return list_page(
        request, form, call, done=done, template="network/inventories.html", context=context
    )


def _page(request: HttpRequest, found: Inventory, **forms: Any) -> dict[str, Any]:
    user = user_of(request)
    leader = queries.is_leader(user, found.region_id)
    given = queries.answers(user, found)
    context: dict[str, Any] = {
        "title": _("Kompetensinventering %(year)s") % {"year": found.year},
        "inventory": found,
        "leader": leader,
        "nav": "network_inventory",
        "answers": given,
        "courses": list(queries.course_rows(user).filter(inventory=found)),
    }
    if leader:
        context["areas"] = queries.compilation(found, given)
        context["status"] = queries.member_status(found, given)
        context["course_form"] = CourseForm(areas=found.areas)
    elif queries.is_member_head(user) and found.is_open:
        context["answer_form"] = InventoryAnswerForm(areas=found.areas)
    return context | forms


@route("natverk/inventering/<int:pk>/", name="inventory")
def inventory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.inventory(user_of(request), pk)
    return render(request, "network/inventory.html", _page(request, found))


# The forms posted from an inventory's page, by their name on it: the form (of the
# inventory's areas), the write and the fields it takes. One view serves both.
POSTED: dict[str, tuple[Any, Any, Sequence[str]]] = {
    "answer_form": (InventoryAnswerForm, offer.answer_save, offer.ANSWER_FIELDS),
    "course_form": (CourseForm, offer.course_add, offer.COURSE_FIELDS),
}


@route("natverk/inventering/<int:pk>/svar/", name="answer", name_on_page="answer_form")
@route("natverk/inventering/<int:pk>/kurser/", name="course_add", name_on_page="course_form")
@require_POST
def inventory_post(request: HttpRequest, pk: int, name_on_page: str) -> HttpResponse:
    user = user_of(request)
    found = queries.inventory(user, pk)
    form_class, service, fields = POSTED[name_on_page]
    form = form_class(request.POST, areas=found.areas)
    call = call_with(service, *fields, actor=user, inventory=found)
    return posted(request, found, name_on_page, form, call, page=_page)
