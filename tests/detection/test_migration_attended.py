"""Issue 9 §4, the data already recorded: migration 0004 turns the old yes/no
"child informed" into the child's information "given", and a record standing at
"attended" on the parent talk alone goes back to "identified" (attended now needs both
parts); a record that went further keeps it. Runs the real migrations backward and
forward on the test database."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = ("detection", "0003_child_information_expected_feedback")
AFTER = ("detection", "0005_remove_childrecordstep_child_informed")


def _models(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    apps = executor.loader.project_state(target).apps
    return apps.get_model("detection", "ChildRecord"), apps.get_model(
        "detection", "ChildRecordStep"
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_attended_only_where_both_parts_were_recorded(worker, open_case):
    call_command("migrate", *BEFORE, verbosity=0)
    try:
        Record, Step = _models(BEFORE)
        day = timezone.localdate()

        def record(name, status, informed, later=None):
            made = Record.objects.create(
                municipality_id=open_case.municipality_id,
                case_id=open_case.pk,
                unit_id=open_case.unit_id,
                parent_id=open_case.person_id,
                first_name=name,
                birth_year=day.year - 6,
                status=status,
                attended_on=day,
            )
            for status_, informed_ in [("attended", informed)] + (
                [(later, False)] if later else []
            ):
                Step.objects.create(
                    municipality_id=made.municipality_id,
                    record_id=made.pk,
                    status=status_,
                    on=day,
                    by_id=worker.pk,
                    parent_talked_with=True,
                    child_informed=informed_,
                )
            return made.pk

        talk_only = record("Bara", "attended", informed=False)
        both = record("Båda", "attended", informed=True)
        further = record("Vidare", "assessed", informed=False, later="assessed")
    finally:
        call_command("migrate", *AFTER, verbosity=0)
    try:
        Record, Step = _models(AFTER)
        statuses = dict(Record.objects.values_list("pk", "status"))
        assert statuses == {talk_only: "identified", both: "attended", further: "assessed"}
        assert Record.objects.get(pk=talk_only).attended_on is None
        assert Step.objects.get(record_id=both, status="attended").child_information == "given"
        assert Step.objects.get(record_id=talk_only, status="attended").child_information == ""
    finally:
        # Every app back at its latest migration: going back to 0003 also undid the
        # later migrations that depend on detection's (groups, detection 0006 on).
        call_command("migrate", verbosity=0)
