"""Three clients of the demo case worker (README: ``handlaggare``) whose record in the
population register differs from Kinsight's, so that *Hämta från folkbokföringen*
shows each case against the demo's fake register (kinsight/people/register/fake.py;
its serials choose the difference): one the register marks protected, one it has as
deceased, one with a child Kinsight does not know and no address in Kinsight. Every
other demo person answers as Kinsight has them, or with the differences the fake
picks by the number (about one in ten moved, a few renamed, protected or deceased).
Synthetic only."""

import datetime

from django.db.models import Q

from kinsight.cases.models import Case
from kinsight.core.models import Membership, Municipality, Role
from kinsight.people.identifiers import IdentifierKind, synthetic_national
from kinsight.people.models import Person

# (first name, last name, birth date, the fake's serial, address in Kinsight)
SHOWCASE = (
    ("Sofia", "Lindgren", datetime.date(1979, 5, 14), 992, "Storgatan 12"),
    ("Bertil", "Ekholm", datetime.date(1948, 2, 3), 993, "Kvarngatan 4"),
    ("Jonas", "Falkman", datetime.date(1986, 9, 21), 996, ""),
)


def generate_register_showcase(*, municipality: Municipality, seed: int = 1) -> dict[str, int]:
    membership = (
        Membership.objects.filter(
            Q(user__username="handlaggare") | Q(user__username__endswith="-handlaggare"),
            user__municipality=municipality,
            role=Role.CASE_WORKER,
        )
        .select_related("user", "unit")
        .first()
    )
    if membership is None:
        return {"persons": 0}
    made = 0
    for first_name, last_name, birth, serial, street in SHOWCASE:
        identifier = synthetic_national(birth, serial)
        if Person._base_manager.filter(municipality=municipality, identifier=identifier).exists():
            continue
        person = Person.objects.create(
            municipality=municipality,
            identifier_kind=IdentifierKind.PERSONNUMMER,
            identifier=identifier,
            birth_date=birth,
            first_name=first_name,
            last_name=last_name,
            street_address=street,
            postal_code="12345" if street else "",
            city="Småstad" if street else "",
            is_synthetic=True,
        )
        Case.objects.create(
            municipality=municipality,
            person=person,
            unit=membership.unit,
            responsible=membership.user,
            subject="Ansökan om stöd",
        )
        made += 1
    return {"persons": made, "cases": made}
