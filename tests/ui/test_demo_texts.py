"""The demo generators' invented texts fit the person: no school for a two-year-old,
no "mamma" for a man, no young carer who cannot walk yet."""

import datetime
import random

import pytest
from django.utils import timezone

from kinsight.demo.generate.assessment import generate_assessment, part_texts
from kinsight.demo.generate.detection import generate_detection
from kinsight.demo.generate.family import family_tasks, generate_family, meeting_minutes
from kinsight.demo.generate.organisation import generate_municipality
from kinsight.demo.generate.people import generate_people
from kinsight.detection.models import ChildFlag, FlagKind
from kinsight.family.models import MeetingNote, PerspectiveKind
from kinsight.people.models import Person

today = timezone.localdate


def person(age, sex=""):
    return Person(
        first_name="X", sex=sex, birth_date=today() - datetime.timedelta(days=365 * age + 40)
    )


def test_a_toddlers_part_says_nothing_of_school_and_has_no_words_of_its_own():
    father = person(35, "male")
    for kind, persons in [
        (PerspectiveKind.CHILD, [person(2)]),
        (PerspectiveKind.PARENT_CHILD, [father, person(2)]),
    ]:
        needs, risks, words = part_texts(kind, persons, father)
        assert "skol" not in f"{needs} {risks}".lower()
        assert words == ""


def test_a_child_calls_a_father_pappa_and_a_mother_mamma():
    child = person(9)
    _needs, _risks, words = part_texts(PerspectiveKind.CHILD, [child], person(40, "male"))
    assert "pappa" in words and "mamma" not in words
    _needs, _risks, words = part_texts(PerspectiveKind.CHILD, [child], person(40, "female"))
    assert "mamma" in words and "pappa" not in words
    _needs, _risks, words = part_texts(PerspectiveKind.CHILD, [child], person(40))
    assert "mamma" not in words and "pappa" not in words


def test_school_appears_for_a_school_child():
    needs, risks, _words = part_texts(PerspectiveKind.CHILD, [person(10)], None)
    assert "skol" in f"{needs} {risks}".lower()


def test_minutes_and_tasks_fit_the_familys_children_and_parents():
    father, toddler = person(30, "male"), person(2)
    for seed in range(20):
        text = meeting_minutes(random.Random(seed), [father], [toddler], today())
        assert "skol" not in text.lower() and "mamma" not in text.lower()
    assert not any("skol" in task.lower() for task in family_tasks([toddler], today()))
    mother = person(30, "female")
    texts = {
        meeting_minutes(random.Random(n), [mother, father], [person(10)], today())
        for n in range(20)
    }
    assert any("Mamman deltar i öppenvården, pappan i föräldragrupp." in t for t in texts)
    assert any("Skolan" in t for t in texts)
    assert any("skolkurator" in task for task in family_tasks([person(10)], today()))


@pytest.mark.django_db
def test_the_generated_demo_fits_its_people():
    municipality = generate_municipality(name="Textkommun", code="8877", seed=5).municipality
    generate_people(municipality=municipality, persons=2500, seed=5)
    generate_detection(municipality=municipality, seed=5)
    generate_family(municipality=municipality, seed=5)
    generate_assessment(municipality=municipality, seed=5)
    carers = ChildFlag.objects.filter(
        record__municipality=municipality,
        kind__in=[FlagKind.YOUNG_CARER, FlagKind.CHILD_INTERPRETER],
    ).select_related("record")
    assert carers.exists()
    assert all(today().year - flag.record.birth_year >= 7 for flag in carers)
    for note in MeetingNote.objects.filter(municipality=municipality).select_related(
        "meeting__family_work"
    ):
        members = note.meeting.family_work.members.select_related("person")
        kids = [m.person for m in members if m.role == "child"]
        parents = [m.person for m in members if m.role != "child"]
        if all(kid.age() < 6 for kid in kids):
            assert "skol" not in note.text.lower()
        if "mamman" in note.text.lower():
            assert any(p.sex == "female" for p in parents)
