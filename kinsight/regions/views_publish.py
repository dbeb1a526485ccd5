"""A member's side: its heads of services see what the municipality published to its
regions; one whose scope is the whole municipality publishes a closed period and
withdraws it with a reason. Another municipality's publications answer 404."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.core.models import Role, User
from kinsight.followup.annual.pdf import shown
from kinsight.followup.suppression import threshold
from kinsight.regions import queries, services
from kinsight.regions.forms import PublishForm, WithdrawForm
from kinsight.regions.models import PublishedFigure
from kinsight.regions.snapshots import table_from
from kinsight.ui.forms_flow import form_page, post_on_detail
from kinsight.ui.paging import page_of, query_without_page
from kinsight.ui.routes import route


def _head(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not (user.is_authenticated and user.units_with_role(Role.HEAD_OF_SERVICES)):
        raise Http404
    return user


@route("region/publicera/", name="publish")
def publish(request: HttpRequest) -> HttpResponse:
    user = _head(request)
    regions = queries.member_regions(user)
    may = services.may_publish(user) and bool(regions)
    form = PublishForm(request.POST or None, regions=regions) if may else None
    context = {
        "title": _("Publicera till regionen"),
        "page": page_of(request, queries.own_figures(user)),
        "query": query_without_page(request),
        "regions": regions,
        "limit": threshold(),
        "nav": "region_publish",
    }

    if form is None:
        if request.method == "POST":
            raise Http404
        return render(request, "regions/publish.html", context)

    def call(data: dict[str, Any]) -> PublishedFigure:
        return services.figure_publish(actor=user, **data)

    def done(figure: PublishedFigure) -> str:
        return _("%(title)s för %(period)s är publicerat till %(region)s.") % {
            "title": figure.title,
            "period": figure.period_label,
            "region": figure.region,
        }

    return form_page(
        request,
        form,
        call,
        done=done,
        back_to=lambda figure: reverse("regions:own_figure", kwargs={"pk": figure.pk}),
        template="regions/publish.html",
        context=context,
    )


def _figure_context(figure: PublishedFigure, form: WithdrawForm | None) -> dict[str, Any]:
    return {
        "title": _("%(title)s, %(period)s")
        % {"title": figure.title, "period": figure.period_label},
        "figure": figure,
        "tables": [shown(table_from(data), chart=False) for data in figure.tables],
        "withdraw_form": form,
        "nav": "region_publish",
    }


@route("region/publicera/<int:pk>/", name="own_figure")
def own_figure(request: HttpRequest, pk: int) -> HttpResponse:
    user = _head(request)
    figure = queries.own_figure(user, pk)
    form = WithdrawForm() if not figure.is_withdrawn and services.may_publish(user) else None
    return render(request, "regions/own_figure.html", _figure_context(figure, form))


@route("region/publicera/<int:pk>/aterkalla/", name="withdraw")
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = _head(request)
    figure = queries.own_figure(user, pk, "change")
    form = WithdrawForm(request.POST)

    def call(data: dict[str, Any]) -> PublishedFigure:
        return services.figure_withdraw(actor=user, figure=figure, reason=data["reason"])

    return post_on_detail(
        request,
        form,
        call,
        done=_("Siffrorna är återkallade. Regionen ser att de återkallats och varför."),
        back_to=reverse("regions:own_figure", kwargs={"pk": pk}),
        template="regions/own_figure.html",
        context=lambda form: _figure_context(figure, form),
    )
