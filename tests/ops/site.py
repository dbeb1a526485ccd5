"""Kinsight as a server process would run it, against the database in DATABASE_URL
(tests/ops/cluster.py starts it): ``pages USERNAME PERSON CASE`` signs in as the user
(password and TOTP, as tests do) and prints what the start, person and case pages
answered; ``writes USERNAME UNIT`` registers persons through the audited service and
prints each one's id when its transaction has committed, until it is stopped."""

import json
import sys

import django

django.setup()

from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from kinsight.core.models import OrgUnit, User  # noqa: E402
from kinsight.people.services import persons  # noqa: E402
from tests.conftest import verified_login  # noqa: E402


# Static files from the apps, as in the tests (no collectstatic manifest here).
@override_settings(
    ALLOWED_HOSTS=["testserver"],
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
)
def pages(username: str, person: str, case: str) -> None:
    client = verified_login(Client(), User.objects.get(username=username))
    found = {}
    for name, url in [
        ("start", reverse("ui:home")),
        ("person", reverse("people:person_detail", args=[person])),
        ("case", reverse("cases:case_detail", args=[case])),
    ]:
        response = client.get(url)
        found[name] = [response.status_code, response.content.decode()]
    print(json.dumps(found))


def writes(username: str, unit: str) -> None:
    actor = User.objects.get(username=username)
    place = OrgUnit.objects.get(pk=unit)
    for number in range(100_000):
        person = persons.person_register(
            actor=actor,
            unit=place,
            identifier_kind="none",
            first_name=f"Krasch{number}",
            last_name="Provsson",
            approximate_birth_year=1980,
        )
        print(person.pk, flush=True)  # after the commit: acknowledged


if __name__ == "__main__":
    {"pages": pages, "writes": writes}[sys.argv[1]](*sys.argv[2:])
