"""The demo's network work over the region (kinsight.demo.generate.regions): the
year's four meetings, the first held with attendance, minutes, a shared PDF and a
question answered between members; the competence-needs inventory for next year with
answers (the first member every area, the second one); and a training offer of three
courses, one with a neighbouring association. Everything through the services, so it
is audited as a user's work would be."""

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kinsight.core.models import User
from kinsight.demo.generate.regions import THIRD
from kinsight.network import offer, services
from kinsight.network.models import Meeting
from kinsight.regions.models import Region

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
AGENDA = "1. Nytt från medlemmarna\n2. Kompetensinventeringen\n3. Jämförelse av miniminivån"
MONTHS = (3, 6, 9, 12)
NEEDS = {
    "Missbruk": (
        "Fördjupning i MI och återfallsprevention.",
        6,
        "MI-fördjupning (Beroendecentrum)",
    ),
    "Ekonomiskt bistånd": ("Bedömning av skälig levnadsnivå i nya ärenden.", 9, "Juridikdag"),
    "Barn och unga": ("Samtal med barn som anhöriga.", 7, "BRA-samtal, Signs of Safety"),
}


def _meetings(leader: User, today: datetime.date) -> list[Meeting]:
    found = []
    for number, month in enumerate(MONTHS, start=1):
        day = datetime.date(today.year, month, 12)
        found.append(
            services.meeting_plan(
                actor=leader,
                title=f"Nätverksmöte {number}",
                day=day,
                starts_at=datetime.time(9, 0),
                ends_at=datetime.time(12, 0),
                place="Förbundets lokaler, Storgatan 1" if number % 2 else "",
                link="" if number % 2 else "https://mote.sydost.demo.invalid/natverk",
                agenda=AGENDA,
            )
        )
    return found


def _hold(leader: User, meeting: Meeting, heads: list[User]) -> None:
    """The first meeting held: attendance, minutes, a file, a question answered."""
    for head in heads:
        services.attendance_record(
            actor=leader,
            meeting=meeting,
            municipality=head.municipality,  # type: ignore[arg-type]
            attendees=f"{head.get_full_name()}\nEn utvecklingsledare",
        )
    services.file_add(
        actor=leader, meeting=meeting, file=SimpleUploadedFile("miniminivan.pdf", PDF)
    )
    services.minutes_write(
        actor=leader,
        meeting=meeting,
        minutes="Medlemmarna jämförde miniminivån. Inventeringen öppnas i höst.",
        minutes_writer=leader.get_full_name(),
    )
    if len(heads) > 1:
        question = services.question_ask(
            actor=heads[0], meeting=meeting, text="Hur ställer ni barnfrågan vid nybesök?"
        )
        services.question_answer(
            actor=heads[1], question=question, answer="Vi frågar alltid i första samtalet."
        )


def _offer(leader: User, heads: list[User], today: datetime.date) -> None:
    deadline = datetime.date(today.year, 11, 30)
    deadline = deadline if deadline >= today else today + datetime.timedelta(days=10)
    inventory = offer.inventory_open(actor=leader, year=today.year + 1, deadline=deadline)
    for index, head in enumerate(heads):
        for area, (needs, staff, suggestions) in list(NEEDS.items())[: 3 if index == 0 else 1]:
            offer.answer_save(
                actor=head,
                inventory=inventory,
                area=area,
                needs=needs,
                staff_count=staff + index,
                suggestions=suggestions,
            )
    start = datetime.date(today.year + 1, 2, 1)
    courses = []
    for title, area, days, neighbour in (
        ("MI-fördjupning", "Missbruk", 0, False),
        ("Skälig levnadsnivå", "Ekonomiskt bistånd", 30, True),
        ("Samtal med barn som anhöriga", "Barn och unga", 60, False),
    ):
        starts_on = start + datetime.timedelta(days=days)
        courses.append(
            offer.course_add(
                actor=leader,
                inventory=inventory,
                area=area,
                title=title,
                starts_on=starts_on,
                ends_on=starts_on + datetime.timedelta(days=1),
                capacity=24,
                minimum=10,
                cost=3500,
                decision_on=starts_on - datetime.timedelta(days=21),
                with_neighbour=neighbour,
            )
        )
    _enrol(heads, courses)


def _enrol(heads: list[User], courses: list[Any]) -> None:
    """The first course reaches its minimum with staff of both members; the others
    stay below theirs (flagged before their decision dates)."""
    for head in heads:
        staff = User.objects.filter(municipality=head.municipality, is_active=True)
        for participant in staff.order_by("pk")[:6]:
            offer.enrol(actor=head, course=courses[0], participant=participant)
        offer.enrol(actor=head, course=courses[1], participant=head)


def generate_network(region: Region, *, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    leader = User.objects.get(region_staff__region=region)
    heads = list(
        User.objects.filter(
            municipality__region_memberships__region=region,
            municipality__is_demo=True,
            username__endswith="ifochef",
        )
        .exclude(municipality__code=THIRD[1])  # it has only figures, no staff at work
        .select_related("municipality")
        .order_by("-municipality__code")
    )
    meetings = _meetings(leader, today)
    _hold(leader, meetings[0], heads)
    _offer(leader, heads, today)
