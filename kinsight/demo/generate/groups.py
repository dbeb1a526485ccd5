"""Synthetic support groups for the demo: a municipal provider and an NGO with a yearly
grant, four programmes measured with WHO-5 before and after, trained leaders, and
cycles over the past two years with sessions, attendance and measurements that show a
plausible improvement (seeded), anonymous and identified participants, one drop-out
with its reason and some missing after-measurements (attrition). One cycle runs now:
a session today without attendance, a waiting list, the after-measurement due. The
ways in (the open list with two public cycles and applications, a referral from a
case worker) come from kinsight.demo.generate.groups_intake.

The catalogue and the cycles are written through the groups' services (audited as in
use); participants, sessions, attendance and measurements in bulk (bulk.write), with
one audit row for the run. The groups are small and do not grow with the
municipality (17 cycles, about 120 participants).
Run after kinsight.demo.generate.people, whose persons the identified participants are."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from kinsight.assessment.models import Instrument
from kinsight.assessment.services import instrument_score
from kinsight.core.models import Membership, NodeKind, OrgUnit, Role, UnitType
from kinsight.demo.generate import bulk, groups_intake
from kinsight.groups import services
from kinsight.groups.models import (
    Attendance,
    Cycle,
    GroupParticipant,
    Measurement,
    ParticipantStatus,
    Point,
    Presence,
    Session,
)
from kinsight.interventions.models import ProviderKind
from kinsight.people.models import Person

OWN, NGO = "own", "ngo"
NGO_NAME = "Vändkraft – idéburen stödverksamhet"
GRANTS = (850_000, 900_000)  # last year, this year
# (name, problem area, target group, ages, sessions, talks, provider, leader, description)
PROGRAMMES = [
    ("Vågen", "addiction", "children", (7, 12), 10, 1, OWN, "gruppledare",
     "För barn 7–12 år med en förälder som har missbruk eller beroende."),
    ("Solrosen", "mental_illness", "children", (7, 12), 10, 1, OWN, "gruppledare",
     "För barn 7–12 år med en förälder med psykisk ohälsa."),
    ("Tonårsgruppen", "addiction", "teenagers", (13, 17), 10, 1, NGO, "ngoledare",
     "För tonåringar 13–17 år i familjer med missbruk; minst ett enskilt samtal."),
    ("Föräldragruppen", "addiction", "parents", (None, None), 8, 0, NGO, "ngoledare",
     "För föräldrar vars barn går i Vågen eller Tonårsgruppen."),
]  # fmt: skip
AGE_BAND = {"children": "7-12", "teenagers": "13-16", "parents": "26+"}
AGES = {"children": (7, 12), "teenagers": (13, 16), "parents": (30, 55)}
PAST_STARTS = (700, 520, 340, 160)  # days before today: two years of cycles
PRESENCE = (Presence.PRESENT, Presence.ABSENT, Presence.EXCUSED)
LEAVES_AFTER = 3  # sessions the one drop-out came to
RUNNING_WEEKS = 4  # the running cycle started this many weeks ago (a session today)
THEMES = [
    "Att lära känna varandra",
    "Känslor",
    "Vad är beroende och psykisk ohälsa?",
    "Hemligheter och skam",
    "Det är inte mitt fel",
    "Att ta hand om sig själv",
    "Vem kan jag prata med?",
    "Mina styrkor",
    "Framtiden",
    "Avslutning",
]


def _who(municipality, role, username=None):
    """The municipality's member of staff with ``role`` (the demo user ``username``,
    whose name may carry the municipality's prefix), first by id."""
    memberships = Membership.objects.filter(municipality=municipality, role=role)
    if username:
        memberships = memberships.filter(user__username__endswith=username)
    found = memberships.order_by("user_id").first()
    return found.user if found else None


def _persons(municipality, target_group, today):
    """Persons of the register of the programme's ages (identified participants)."""
    low, high = AGES[target_group]
    born = (_years_ago(today, high + 1), _years_ago(today, low))
    persons = Person.objects.filter(municipality=municipality, birth_date__range=born)
    return list(persons.order_by("pk")[:60])


def _years_ago(today, years):
    return datetime.date(today.year - years, today.month, min(today.day, 28))


def _answers(rng, total):
    """WHO-5 answers (five items 0–5) summing to ``total``."""
    scores = [0] * 5
    for _ in range(total):
        scores[rng.choice([i for i in range(5) if scores[i] < 5])] += 1
    return {str(n): s for n, s in enumerate(scores, start=1)}


def _score(value):
    return max(0, min(25, round(value)))


class _Groups:
    def __init__(self, municipality, rng, today):
        self.municipality, self.rng, self.today = municipality, rng, today
        self.head = _who(municipality, Role.HEAD_OF_SERVICES)
        self.who5 = Instrument.objects.get(code="who5", municipality=None)
        self.districts = list(
            OrgUnit.objects.filter(municipality=municipality, kind=NodeKind.DISTRICT).order_by("pk")
        )
        self.made = dict.fromkeys(("cycles", "participants", "sessions", "attendance"), 0)
        self.made["measurements"] = 0
        self.profiles = {}
        self.dropped = False

    def catalogue(self):
        """Providers, grants, programmes with WHO-5 before and after, leader trainings."""
        family_unit = OrgUnit.objects.filter(
            municipality=self.municipality, unit_type=UnitType.FAMILIES
        ).order_by("pk")[0]
        providers = {
            OWN: services.provider_create(
                actor=self.head,
                name=f"{family_unit.name}, stödgrupper",
                kind=ProviderKind.OWN_UNIT,
                unit=family_unit,
            ),
            NGO: services.provider_create(
                actor=self.head,
                name=NGO_NAME,
                kind=ProviderKind.EXTERNAL,
                contact="Kansliet, 08-000 00 00, kansli@vandkraft.demo.invalid",
                agreement="Idéburet offentligt partnerskap om stödgrupper, löpande per år.",
            ),
        }
        for offset, amount in zip((1, 0), GRANTS, strict=True):
            services.grant_set(
                actor=self.head,
                provider=providers[NGO],
                year=self.today.year - offset,
                amount=amount,
                note="Verksamhetsbidrag för stödgrupper.",
            )
        made = []
        for name, area, target, (low, high), sessions, talks, who, leader, text in PROGRAMMES:
            programme = services.programme_create(
                actor=self.head,
                name=name,
                problem_area=area,
                target_group=target,
                min_age=low,
                max_age=high,
                group_sessions=sessions,
                individual_talks=talks,
                provider=providers[who],
                description=text,
            )
            for point in (Point.BEFORE, Point.AFTER):
                services.programme_measure_add(
                    actor=self.head, programme=programme, instrument=self.who5, point=point
                )
            leader_user = _who(self.municipality, Role.GROUP_LEADER, leader)
            leader_user = leader_user or _who(self.municipality, Role.GROUP_LEADER)
            services.leader_training_add(
                actor=self.head,
                leader=leader_user,
                district=self.districts[0],
                programme=programme,
                training=f"Gruppledarutbildning {name}",
                trained_on=self.today - datetime.timedelta(days=900),
            )
            made.append((programme, leader_user))
        return made

    def cycle(self, programme, leader, start_on, district):
        season = "våren" if start_on.month < 7 else "hösten"
        return services.cycle_create(
            actor=self.head,
            programme=programme,
            name=f"{programme.name} {season} {start_on.year}",
            district=district,
            start_on=start_on,
            end_on=start_on + datetime.timedelta(weeks=programme.group_sessions - 1),
            venue=f"Träfflokalen, {district.name}",
            places=8,
            leaders=[leader],
        )

    def participants(self, cycle, leader, pool, count):
        """``count`` participants started on the first day, about a third identified
        persons of the register, the rest anonymous."""
        rng = self.rng
        chosen = rng.sample(pool, k=min(len(pool), count // 3))
        rows = []
        for index in range(count):
            person = chosen[index] if index < len(chosen) else None
            rows.append(
                GroupParticipant(
                    municipality_id=cycle.municipality_id,
                    cycle=cycle,
                    person=person,
                    age_band=AGE_BAND[cycle.programme.target_group],
                    sex=rng.choice(["female", "male"]),
                    district=None if person else cycle.district,
                    intake=rng.choice(["decision", "self"]) if person else "self",
                    measurement_consent=rng.random() < 0.9,
                    status=ParticipantStatus.ACTIVE,
                    joined_on=cycle.start_on,
                )
            )
            # Teenagers may be at the municipality's own-consent age (15): those who
            # consented gave their own consent too, so they may be measured.
            member = rows[-1]
            member.own_consent = member.measurement_consent and member.age_band == "13-16"
        self.made["participants"] += count
        return rows

    def measurement(self, leader, member, point, total, on):
        """A WHO-5 measurement scoring ``total`` (the instrument's scoring is run once
        per total: the answers of a total are the same everywhere)."""
        if total not in self.profiles:
            self.profiles[total] = instrument_score(
                instrument=self.who5, answers=_answers(self.rng, total)
            )
        stored, score, _label = self.profiles[total]
        self.made["measurements"] += 1
        return Measurement(
            municipality_id=member.municipality_id,
            participant=member,
            instrument=self.who5,
            point=point,
            answered_on=on,
            answers=dict(stored),
            total_score=score,
            entered_by=leader,
        )

    def run(self, cycle, leader, started, held_until, leaving=None):
        """Sessions weekly from the start, attendance at those held before
        ``held_until`` (``leaving`` came to the first LEAVES_AFTER only), and the
        scores before: {participant id: score}. Written in bulk: about 1,000 rows of
        attendance, each a service call otherwise."""
        rng, m = self.rng, cycle.municipality_id
        sessions = [
            Session(
                municipality_id=m,
                cycle=cycle,
                number=number + 1,
                held_on=cycle.start_on + datetime.timedelta(weeks=number),
                theme=THEMES[number % len(THEMES)],
            )
            for number in range(cycle.programme.group_sessions)
        ]
        bulk.write(Session, sessions)
        attendance = [
            Attendance(
                municipality_id=m,
                session=session,
                participant=member,
                presence=rng.choices(PRESENCE, weights=(85, 7, 8))[0],
            )
            for session in sessions
            if session.held_on < held_until
            for member in started
            if member is not leaving or session.number <= LEAVES_AFTER
        ]
        bulk.write(Attendance, attendance)
        self.made["attendance"] += len(attendance)
        self.made["sessions"] += len(sessions)
        before = {
            member.pk: _score(rng.gauss(10, 3.5))
            for member in started
            if member.measurement_consent
        }
        return before, [
            self.measurement(leader, member, Point.BEFORE, before[member.pk], cycle.start_on)
            for member in started
            if member.pk in before
        ]

    def past(self, programme, leader, pool, start_on, district):
        """A finished cycle: everyone completed but the one drop-out; most of those
        measured before are measured after, a little better."""
        rng = self.rng
        cycle = self.cycle(programme, leader, start_on, district)
        members = self.participants(cycle, leader, pool, rng.randint(6, 8))
        leaving = None if self.dropped else members[-1]
        for member in members:
            member.status, member.ended_on = ParticipantStatus.COMPLETED, cycle.end_on
        if leaving is not None:
            leaving.status = ParticipantStatus.DROPPED
            leaving.ended_on = start_on + datetime.timedelta(weeks=LEAVES_AFTER)
            leaving.dropped_reason = "Familjen flyttade till en annan kommun."
            self.dropped = True
        bulk.write(GroupParticipant, members)
        held_until = cycle.end_on + datetime.timedelta(days=1)
        before, measured = self.run(cycle, leader, members, held_until, leaving)
        gain = 2.5 if programme.target_group == "parents" else 4.0
        for member in members:
            if member is not leaving and member.pk in before and rng.random() < 0.9:
                after = _score(before[member.pk] + rng.gauss(gain, 3.5))
                measured.append(self.measurement(leader, member, Point.AFTER, after, cycle.end_on))
        bulk.write(Measurement, measured)
        return cycle

    def running(self, programme, leader, pool):
        """Started RUNNING_WEEKS weeks ago: a session today, attendance recorded for the
        earlier ones only, measured before, two on the waiting list."""
        start_on = self.today - datetime.timedelta(weeks=RUNNING_WEEKS)
        cycle = self.cycle(programme, leader, start_on, self.districts[0])
        members = self.participants(cycle, leader, pool, 8)
        for member in members[6:]:
            member.status, member.joined_on = ParticipantStatus.WAITING, None
        bulk.write(GroupParticipant, members)
        _before, measured = self.run(cycle, leader, members[:6], self.today)
        bulk.write(Measurement, measured)
        return cycle


def generate_groups(*, municipality, seed=1, progress=None):
    """The municipality's support groups (see the module); one audit row for the run
    besides the services' own."""
    rng = random.Random(seed)
    groups = _Groups(municipality, rng, timezone.localdate())
    if groups.head is None or not groups.districts:
        return {}
    with bulk.stage(progress, "stödgrupper", len(PROGRAMMES) * len(PAST_STARTS) + 1) as bar:
        with transaction.atomic():
            programmes = groups.catalogue()
        for index, (programme, leader) in enumerate(programmes):
            pool = _persons(municipality, programme.target_group, groups.today)
            for number, days in enumerate(PAST_STARTS):
                district = groups.districts[(index + number) % len(groups.districts)]
                start_on = groups.today - datetime.timedelta(days=days)
                with transaction.atomic():
                    groups.past(programme, leader, pool, start_on, district)
                bar.update(1)
            if index == 0:
                with transaction.atomic():
                    groups.running(programme, leader, pool)
                bar.update(1)
    with transaction.atomic():
        groups_intake.open_list(groups.head, programmes, groups.districts[0], groups.today)
        groups.made["referrals"] = groups_intake.referral(
            municipality, programmes[0][0].provider.unit, groups.today
        )
    groups.made["cycles"] = Cycle.objects.filter(municipality=municipality).count()
    with transaction.atomic():
        bulk.audit_run(
            municipality,
            {"generated": groups.made, "seed": seed},
            object_type="groups.cycle",
            object_id="*",
        )
    return groups.made
