"""The accessibility statement (tillgänglighetsredogörelse): public, with the parts
lagen (2018:1937) asks for, linked from the login page and every page's footer."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_statement_is_public_and_has_its_required_parts(
    client, settings, django_assert_num_queries
):
    settings.KINSIGHT_ACCESSIBILITY_CONTACT = "tillganglighet@exempel.se, 012-34 56 78"
    with django_assert_num_queries(0):
        response = client.get("/tillganglighet/")
    assert response.status_code == 200
    page = response.content.decode()
    for part in (
        "<h1>Tillgänglighetsredogörelse</h1>",
        "delvis förenlig",  # how accessible
        "Innehåll som inte är tillgängligt",  # what is not
        "Rapportera brister i tillgängligheten",  # how to report
        "tillganglighet@exempel.se, 012-34 56 78",  # whom to contact
        "Myndigheten för digital förvaltning (DIGG)",  # the supervisory authority
        'href="https://www.digg.se/',
    ):
        assert part in page, part


def test_without_a_contact_the_statement_says_what_to_set(client):
    page = client.get("/tillganglighet/").content.decode()
    assert "KINSIGHT_ACCESSIBILITY_CONTACT" in page


def test_the_login_page_and_the_footer_link_to_it(client, login, worker):
    assert 'href="/tillganglighet/"' in client.get("/konto/logga-in/").content.decode()
    login(worker)
    assert 'href="/tillganglighet/"' in client.get("/").content.decode()


def test_the_stylesheet_has_print_rules():
    css = Path(finders.find("ui/kinsight.css")).read_text(encoding="utf-8")
    print_rules = css.split("@media print", 1)[1]
    assert ".site-header" in print_rules and "display: none" in print_rules
    assert 'content: " (" attr(href) ")"' in print_rules
