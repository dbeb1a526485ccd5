"""ui.paging: the page a request asks for, and its query for the pagination's links."""

from django.test import RequestFactory

from kinsight.ui.paging import PAGE_SIZE, page_of, query_without_page


def test_it_gives_the_page_the_request_names_and_the_first_when_it_is_out_of_range():
    rows = list(range(PAGE_SIZE * 2 + 1))
    assert page_of(RequestFactory().get("/", {"page": "3"}), rows).object_list == [rows[-1]]
    assert page_of(RequestFactory().get("/", {"page": "x"}), rows).number == 1


def test_it_reads_the_page_from_another_parameter_when_a_page_holds_two_lists():
    request = RequestFactory().get("/", {"page": "1", "skickade": "2"})
    assert page_of(request, list(range(PAGE_SIZE + 1)), key="skickade").number == 2


def test_it_keeps_the_query_but_the_page():
    request = RequestFactory().get("/", {"status": "open", "page": "2", "q": "å"})
    assert query_without_page(request) == "status=open&q=%C3%A5"
