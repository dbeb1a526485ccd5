"""One page of a list on a page: the page the request asks for, and the request's query
without its page number, for the pagination's links (ui/_pagination.html)."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


def page_of(
    request: HttpRequest, rows: QuerySet[Any] | Sequence[Any], *, key: str = "page"
) -> Page:
    """The page of ``rows`` named by the query parameter ``key`` (the first when it is
    missing or out of range)."""
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(key))


def query_without_page(request: HttpRequest) -> str:
    """The request's query without ``page``, to which the pagination adds its own."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
