"""The API action that calls a service on one row (kinsight.core.apibase's viewsets).

Many endpoints are ``POST …/{id}/<verb>/``: fetch the row the user may act on (404
when not seen, 403 without ``access``), call the app's service with the actor, the
row and the body's fields (the service checks and audits), answer the row serialized.
``row_action`` writes that once instead of by hand in every viewset."""

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status as http
from rest_framework.decorators import action


def row_action(
    service: Callable[..., Any],
    row: str,
    *,
    body: type | None = None,
    answer: type | None = None,
    status: int = http.HTTP_200_OK,
    defaults: Callable[[Any], dict[str, Any]] | None = None,
    **route: Any,
) -> Callable[[Callable[..., Any]], Any]:
    """A decorator for a detail action whose function gives only its name (DRF routes
    by it) and its docstring (the schema's description); its body is never run.

    The action calls ``service(actor=…, <row>=the row, **defaults(row), **body)``
    through ``TenantViewSet.act`` (the body's fields override the defaults, its
    ``version`` goes as ``expected_version``); no ``body`` means the request has none.
    It answers the result as ``answer`` (else the viewset's serializer) with ``status``.
    ``route``: more of ``@action``'s arguments (``access="change"``, ``url_path``)."""

    def build(named: Callable[..., Any]) -> Any:
        def act(self, request, pk=None):
            obj = self.get_object()
            given = defaults(obj) if defaults else {}
            return self.act(body, service, answer=answer, status=status, **given, **{row: obj})

        # Named before @action: it takes the route, the URL and the method map from it.
        act.__name__, act.__qualname__ = named.__name__, named.__qualname__
        act.__doc__ = named.__doc__
        schema: dict[str, Any] = {"request": body}
        if answer is not None:
            # Documented with the status it answers (a created step: 201, not 200).
            schema["responses"] = answer if status == http.HTTP_200_OK else {status: answer}
        return extend_schema(**schema)(action(detail=True, methods=["post"], **route)(act))

    return build
