"""Synthetic municipalities for the demo, tests and benchmarks.

Everything made here is invented (Faker, sv_SE) and marked: the municipality has
``is_demo=True``. Each later capability extends generate_municipality with its own
records, so the demo is never empty.
"""

import random
from dataclasses import dataclass, field

from django.db import transaction
from faker import Faker

from kinsight.core.models import Membership, Municipality, NodeKind, OrgUnit, Role, UnitType, User
from kinsight.core.services import municipality_create
from kinsight.demo.generate.bulk import audit_run, stage

DEMO_PASSWORD = "demo-kinsight-2026"  # noqa: S105 - documented demo password, demo data only

# One demo user per role: (username, first name, last name, role, unit type or None).
DEMO_USERS = [
    ("admin", "Alva", "Admin", Role.ADMINISTRATOR, None),
    ("handlaggare", "Hanna", "Handläggare", Role.CASE_WORKER, UnitType.ADULTS_ADDICTION),
    ("barnhandlaggare", "Bo", "Barnsekreterare", Role.CASE_WORKER, UnitType.CHILDREN_YOUTH),
    ("enhetschef", "Elin", "Enhetschef", Role.UNIT_MANAGER, UnitType.ADULTS_ADDICTION),
    ("ifochef", "Ivar", "IFO-chef", Role.HEAD_OF_SERVICES, None),
    ("gruppledare", "Greta", "Gruppledare", Role.GROUP_LEADER, UnitType.FAMILIES),
    # A leader employed by the NGO that runs groups: the group leader role and nothing else.
    ("ngoledare", "Nora", "Ideell", Role.GROUP_LEADER, UnitType.FAMILIES),
    ("natverksledare", "Nils", "Nätverksledare", Role.NETWORK_LEADER, None),
    ("loggranskare", "Lova", "Loggranskare", Role.LOG_REVIEWER, None),
]

# Districts in order: the demo has the first two; a large municipality has one per
# PERSONS_PER_DISTRICT persons (Stockholm: 13 for about a million), then numbered ones.
DISTRICTS = [
    f"{name} stadsdelen"
    for name in [
        "Norra",
        "Södra",
        "Östra",
        "Västra",
        "Centrala",
        "Inre",
        "Yttre",
        "Nordvästra",
        "Nordöstra",
        "Sydvästra",
        "Sydöstra",
        "Mellersta",
        "Övre",
        "Nedre",
    ]
]
PERSONS_PER_DISTRICT = 75_000


def districts_for(persons):
    """How many districts a municipality of ``persons`` persons has (at least 2)."""
    return max(2, round(persons / PERSONS_PER_DISTRICT))


def district_names(count):
    extra = [f"Stadsdel {n}" for n in range(len(DISTRICTS) + 1, count + 1)]
    return (DISTRICTS + extra)[:count]


UNIT_NAMES = {
    UnitType.CHILDREN_YOUTH: "Barn och unga",
    UnitType.FAMILIES: "Familjestöd",
    UnitType.ADULTS_ADDICTION: "Vuxenenheten missbruk",
    UnitType.FAMILY_LAW: "Familjerätten",
    UnitType.ECONOMIC_ASSISTANCE: "Ekonomiskt bistånd",
    UnitType.DISABILITY: "Funktionshinderenheten",
    UnitType.SOCIAL_PSYCHIATRY: "Socialpsykiatrin",
    UnitType.VIOLENCE: "Våldsenheten",
}


@dataclass
class Generated:
    municipality: Municipality
    board: OrgUnit
    administration: OrgUnit
    units: list = field(default_factory=list)
    staff: list = field(default_factory=list)


def _node(municipality, parent, kind, name, unit_type=""):
    return OrgUnit.objects.create(
        municipality=municipality, parent=parent, kind=kind, name=name, unit_type=unit_type
    )


def _user(municipality, username, first, last, password_hash, title=""):
    return User(
        municipality=municipality,
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@{municipality.code}.demo.invalid",
        title=title,
        password=password_hash,
    )


@transaction.atomic
def generate_municipality(*, name, code, staff_per_unit=3, seed=1, districts=2, progress=None):
    """An organisation with every unit type in each of ``districts`` districts, the
    demo users (usernames prefixed by the code unless it is the first municipality)
    and staff in every unit. ``progress``: see bulk.stage."""
    from django.contrib.auth.hashers import make_password

    rng = random.Random(seed)
    fake = Faker("sv_SE")
    fake.seed_instance(seed)
    municipality = municipality_create(name=name, code=code, is_demo=True)
    board = _node(municipality, None, NodeKind.BOARD, "Socialnämnden")
    administration = _node(municipality, board, NodeKind.ADMINISTRATION, "Socialförvaltningen")
    result = Generated(municipality, board, administration)
    for district_name in district_names(districts):
        district = _node(municipality, administration, NodeKind.DISTRICT, district_name)
        short = district_name.removesuffix(" stadsdelen")
        for unit_type, unit_name in UNIT_NAMES.items():
            result.units.append(
                _node(municipality, district, NodeKind.UNIT, f"{unit_name} {short}", unit_type)
            )
    # One hash for every generated user: argon2 is slow on purpose.
    password_hash = make_password(DEMO_PASSWORD)
    prefix = "" if not Municipality.objects.exclude(pk=municipality.pk).exists() else f"{code}-"
    users, memberships = [], []

    def add(user, unit, role):
        users.append(user)
        memberships.append(Membership(municipality=municipality, user=user, unit=unit, role=role))

    for username, first, last, role, unit_type in DEMO_USERS:
        if role == Role.NETWORK_LEADER:
            continue  # belongs to the region, not a municipality (demo/generate/regions.py)
        user = _user(municipality, prefix + username, first, last, password_hash, str(role.label))
        node = administration
        if unit_type:
            node = next(u for u in result.units if u.unit_type == unit_type)
        add(user, node, role)
        result.staff.append(user)
    with stage(progress, "enheter", len(result.units)) as bar:
        for unit in result.units:
            manager = _user(
                municipality,
                f"{prefix}chef{unit.pk}",
                fake.first_name(),
                fake.last_name(),
                password_hash,
                "Enhetschef",
            )
            add(manager, unit, Role.UNIT_MANAGER)
            for index in range(staff_per_unit):
                worker = _user(
                    municipality,
                    f"{prefix}hl{unit.pk}-{index + 1}",
                    fake.first_name(),
                    fake.last_name(),
                    password_hash,
                    rng.choice(["Socialsekreterare", "Handläggare", "Familjebehandlare"]),
                )
                add(worker, unit, Role.CASE_WORKER)
                result.staff.append(worker)
            bar.update(1)
        User.objects.bulk_create(users)
    Membership.objects.bulk_create(memberships)
    audit_run(municipality, {"generated": {"units": len(result.units), "staff": len(result.staff)}})
    return result
