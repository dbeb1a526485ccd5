"""Routes beside their views: ``@route("arenden/<int:pk>/", name="case_detail")`` above a
view says where it answers; an app's ``urls.py`` is ``urlpatterns = patterns_of(views)``.

One view may answer on several routes (stack the decorators; the top one is listed
first). ``@route`` goes outermost, above ``require_POST`` and the like, so the
recorded routes sit on the function the URL calls."""

import importlib
import pkgutil
from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

from django.urls import URLPattern, path

View = TypeVar("View", bound=Callable[..., Any])

ROUTES = "url_routes"


def route(pattern: str, *, name: str, **kwargs: Any) -> Callable[[View], View]:
    """Record the route on the view; ``name`` is the URL name to reverse, ``kwargs``
    go to the view with the ones from the path (one view serving several steps
    learns which one)."""

    def mark(view: View) -> View:
        setattr(view, ROUTES, [(pattern, name, kwargs), *getattr(view, ROUTES, ())])
        return view

    return mark


def _modules(module: ModuleType) -> list[ModuleType]:
    """The module, and for a package each submodule too, in the order of their names."""
    found = [module]
    if hasattr(module, "__path__"):
        names = sorted(info.name for info in pkgutil.iter_modules(module.__path__))
        found += [importlib.import_module(f"{module.__name__}.{name}") for name in names]
    return found


def patterns_of(module: ModuleType) -> list[URLPattern]:
    """``path(...)`` for every route of the views defined in ``module`` (or in the
    submodules of a views package), in the order they are written. A view imported
    from elsewhere is left to the module that defines it."""
    patterns = []
    for each in _modules(module):
        for view in vars(each).values():
            if callable(view) and getattr(view, "__module__", None) == each.__name__:
                for pattern, name, kwargs in getattr(view, ROUTES, ()):
                    patterns.append(path(pattern, view, kwargs, name=name))
    return patterns
