"""What the tests read from Kinsight's pages."""

import html
import re


def provider_link(response):
    """The provider's logout address on the page that goes on to it."""
    assert response.status_code == 200
    return html.unescape(re.search(r'<a href="([^"]+)">Logga ut hos', response.content.decode())[1])
