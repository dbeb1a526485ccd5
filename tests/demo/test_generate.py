"""The demo and bench generator as a whole (manage.py generate): progress through
every stage, the same output for the same seed, and on PostgreSQL the COPY path
writing the same rows as bulk_create."""

import pytest
from django.db import connection
from django.db.models import ForeignKey

from kinsight.assessment.models import Assessment, AssessmentPart, InstrumentResult
from kinsight.cases.models import Case, JournalNote
from kinsight.core.models import Municipality, User
from kinsight.demo.generate import bulk, generate_all
from kinsight.demo.generate import people as people_generate
from kinsight.demo.generate.register import SHOWCASE
from kinsight.detection.models import (
    ChildFlag,
    ChildQuestion,
    ChildQuestionAnswer,
    ChildRecord,
    ChildRecordStep,
    ConcernReport,
)
from kinsight.family.models import (
    Consent,
    ConsentUnit,
    FamilyMeeting,
    FamilyMember,
    FamilyWork,
    FollowUpTask,
    LinkedCase,
    MeetingNote,
    MeetingParticipant,
    Participant,
)
from kinsight.people.identifiers import synthetic_national
from kinsight.people.models import Person, PersonGrant, Relationship

pytestmark = pytest.mark.django_db

GENERATED = [
    Person,
    Relationship,
    Case,
    JournalNote,
    ChildQuestion,
    ChildQuestionAnswer,
    ChildRecord,
    ChildRecordStep,
    ChildFlag,
    ConcernReport,
    FamilyWork,
    FamilyMember,
    Participant,
    LinkedCase,
    Consent,
    ConsentUnit,
    FamilyMeeting,
    MeetingParticipant,
    MeetingNote,
    FollowUpTask,
    Assessment,
    AssessmentPart,
    InstrumentResult,
    PersonGrant,
]
# The time of the run itself, and a text naming person ids (kind and persons compared).
UNCOMPARED = {"id", "municipality", "created_at", "updated_at", "status_changed_at"}
UNCOMPARED |= {"granted_at", "perspective"}


class Recorder:
    """A progress factory (kinsight.demo.generate.bulk.stage) that remembers every bar."""

    def __init__(self):
        self.bars = []

    def __call__(self, name, total):
        self.bars.append(bar := Bar(name, total))
        return bar


class Bar:
    def __init__(self, name, total):
        self.name, self.total, self.updates, self.closed = name, total, [], False

    def update(self, n=1):
        self.updates.append(n)

    def close(self):
        self.closed = True


def _generate(code, seed=4, persons=400, progress=None):
    result, _stages = generate_all(
        name=f"Kommun {code}", code=code, persons=persons, seed=seed, progress=progress
    )
    return result.municipality


def _ordinals(model, municipality, cache):
    """pk → position among the municipality's rows of ``model`` (ids differ between
    municipalities and databases, positions do not)."""
    if model not in cache:
        pks = model.objects.filter(municipality=municipality).order_by("pk")
        cache[model] = {pk: n for n, pk in enumerate(pks.values_list("pk", flat=True))}
    return cache[model]


def dump(municipality):
    """Every generated row of ``municipality``, foreign keys to its own rows as
    positions, in order of pk."""
    cache, rows = {}, {}
    for model in GENERATED:
        fields = [f for f in model._meta.concrete_fields if f.name not in UNCOMPARED]
        own = {
            f.attname: f.related_model
            for f in fields
            if isinstance(f, ForeignKey)
            and any(g.name == "municipality" for g in f.related_model._meta.fields)
        }
        if model is PersonGrant:
            own["case_id"] = Case  # a plain number, not a foreign key
            own["family_work_id"], own["consent_id"] = FamilyWork, Consent  # the same
        values = (
            model.objects.filter(municipality=municipality)
            .order_by("pk")
            .values_list(*[f.attname for f in fields])
        )
        rows[model.__name__] = [
            tuple(
                _ordinals(own[f.attname], municipality, cache).get(value)
                if f.attname in own and value is not None
                else value
                for f, value in zip(fields, row, strict=True)
            )
            for row in values
        ]
    # The grants come from one INSERT … SELECT: a set, in no particular order.
    rows["PersonGrant"].sort(key=repr)
    return rows


def test_it_reports_progress_through_every_stage_as_each_batch_is_written(monkeypatch):
    monkeypatch.setattr(people_generate, "BATCH", 100)
    progress = Recorder()
    _generate("8101", persons=450, progress=progress)
    stages = ["enheter", "personer", "barnfrågor", "orosanmälningar", "familjeärenden"]
    stages += ["bedömningar", "stödgrupper", "statistik", "behörigheter"]
    if connection.vendor != "postgresql":  # ANALYZE after the load: PostgreSQL only
        stages.remove("statistik")
    assert [bar.name for bar in progress.bars] == stages
    for bar in progress.bars:
        assert bar.closed and bar.total > 0 and sum(bar.updates) > 0, bar.name
        # Family works are a target: a small municipality has fewer families to find.
        assert sum(bar.updates) >= bar.total or bar.name == "familjeärenden", bar.name
    persons = next(bar for bar in progress.bars if bar.name == "personer")
    # A batch of households at a time: the bar moves as each batch is written.
    assert len(persons.updates) >= 5 and all(100 <= n < 200 for n in persons.updates[:-1])
    # The population register's showcase adds its few clients after the bar.
    showcase = [synthetic_national(birth, serial) for _, _, birth, serial, _ in SHOWCASE]
    assert sum(persons.updates) == Person.objects.exclude(identifier__in=showcase).count()


def test_it_generates_the_same_rows_for_the_same_seed_and_others_for_another():
    first, second, other = _generate("8201"), _generate("8202"), _generate("8203", seed=5)
    rows = dump(first)
    assert all(rows[model.__name__] for model in GENERATED), "every kind of row is made"
    assert dump(second) == rows
    assert dump(other)["Person"] != rows["Person"]


def test_it_scales_districts_and_family_works_with_the_persons():
    from kinsight.demo.generate.family import families_for
    from kinsight.demo.generate.organisation import districts_for

    assert (districts_for(2000), districts_for(100_000), districts_for(1_000_000)) == (2, 2, 13)
    assert (families_for(2000), families_for(1_000_000)) == (6, 1000)


@pytest.mark.postgres
def test_the_copy_path_writes_the_same_rows_as_bulk_create(monkeypatch):
    copied = _generate("8301")
    monkeypatch.setattr(bulk, "USE_COPY", False)
    created = _generate("8302")
    assert dump(copied) == dump(created)


def test_bulk_write_gives_each_row_its_id_and_its_own_callable_defaults():
    municipality = Municipality.objects.create(name="Radkommun", code="8401")
    rows = [{"municipality_id": municipality.pk, "username": f"rad{n}"} for n in range(3)]
    bulk.write(User, rows)
    users = User.objects.filter(municipality=municipality).order_by("pk")
    assert [row["id"] for row in rows] == list(users.values_list("pk", flat=True))
    # A token made by a callable default differs per row (not one per batch).
    assert len(set(users.values_list("session_salt", flat=True))) == 3


def test_the_demo_commands_live_on_the_top_floor():
    """generate, bench and demo_setup keep their names and come from kinsight.demo."""
    from django.core.management import get_commands

    commands = get_commands()
    assert {commands[name] for name in ("generate", "bench", "demo_setup")} == {"kinsight.demo"}
