"""Shared by the open group list's tests: a public cycle with places, the list turned
on, and an application posted the way a person's browser posts it (a stamp old enough
to pass the spam protection)."""

import datetime
import time
from unittest import mock

from django.utils import timezone

from kinsight.groups import services
from kinsight.groups.forms_intake import stamp
from kinsight.groups.services.settings import settings_set

TODAY = timezone.localdate()
APPLICATION = {
    "name": "Kim Andersson",
    "contact": "070-123 45 67",
    "age_band": "13-16",
    "sex": "female",
    "message": "Min pappa dricker.",
    "consent": "on",
}


def public_cycle(head, leaders, programme, district, **extra):
    values = {
        "name": "Vågen hösten",
        "start_on": TODAY + datetime.timedelta(days=14),
        "end_on": TODAY + datetime.timedelta(days=100),
        "is_public": True,
        "places": 8,
    } | extra
    return services.cycle_create(
        actor=head, programme=programme, district=district, leaders=leaders, **values
    )


def list_on(head):
    return settings_set(actor=head, public_list=True, own_consent_age=15)


def stamp_from(seconds_ago):
    """A form stamp handed out ``seconds_ago`` seconds ago."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds_ago):
        return stamp()


def apply_url(cycle):
    return f"/grupper/{cycle.municipality.code}/{cycle.pk}/anmalan/"


def apply(client, cycle, *, seconds_ago=10, meta=None, **changes):
    """Post an application (``changes`` to the form's fields; ``meta``: the request's
    headers as WSGI keys)."""
    data = APPLICATION | {"stamp": stamp_from(seconds_ago), "website": ""} | changes
    return client.post(apply_url(cycle), data, **(meta or {}))
