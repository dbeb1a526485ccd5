"""Routes beside their views (kinsight.ui.routes): what the decorator records and the
URL patterns an app's urls.py gets from it."""

import types

from django.urls import reverse
from django.views.decorators.http import require_POST

from kinsight.core import views as core_views
from kinsight.family import views as family_views
from kinsight.ui.routes import patterns_of, route


def _module(name):
    """A views module made in the test: a list, an edit page on two routes, a POST
    view, a helper without a route and a view imported from elsewhere."""
    module = types.ModuleType(name)

    @route("saker/", name="thing_list")
    def thing_list(request):
        return None

    @route("saker/ny/", name="thing_create")
    @route("saker/<int:pk>/andra/", name="thing_edit")
    def thing_edit(request, pk=None):
        return None

    @route("saker/<int:pk>/ta-bort/", name="thing_remove")
    @require_POST
    def thing_remove(request, pk):
        return None

    def _helper(request):
        return None

    for view in (thing_list, thing_edit, thing_remove, _helper):
        view.__module__ = name
        setattr(module, view.__name__, view)
    module.imported = core_views.unit_list  # routed in its own module, not here
    return module


def test_it_lists_every_route_in_the_order_written():
    patterns = patterns_of(_module("things.views"))
    assert [(str(p.pattern), p.name) for p in patterns] == [
        ("saker/", "thing_list"),
        ("saker/ny/", "thing_create"),
        ("saker/<int:pk>/andra/", "thing_edit"),
        ("saker/<int:pk>/ta-bort/", "thing_remove"),
    ]


def test_it_routes_to_the_view_the_decorators_made():
    module = _module("things.views")
    remove = patterns_of(module)[-1]
    assert remove.callback is module.thing_remove  # require_POST's wrapper, routed


def test_it_reads_each_submodule_of_a_views_package():
    names = {p.name for p in patterns_of(family_views)}
    assert {"list", "consent_new", "meeting_detail", "task_done"} <= names


def test_it_keeps_the_names_templates_reverse():
    assert reverse("core:unit_create") == "/organisation/ny/"
    assert reverse("core:unit_edit", args=[3]) == "/organisation/3/andra/"
    assert reverse("family:minutes_correct", args=[4]) == "/familjearenden/protokoll/4/ratta/"


def test_it_gives_a_view_serving_several_steps_the_one_asked_for():
    module = types.ModuleType("steps.views")

    @route("steg/<int:pk>/a/", name="step_a", step="a")
    @route("steg/<int:pk>/b/", name="step_b", step="b")
    def step(request, pk, step):
        return step

    step.__module__ = "steps.views"
    module.step = step
    patterns = patterns_of(module)
    assert [(p.name, p.default_args) for p in patterns] == [
        ("step_a", {"step": "a"}),
        ("step_b", {"step": "b"}),
    ]
