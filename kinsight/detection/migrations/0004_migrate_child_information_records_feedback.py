"""The data of issue 9 §4, moved once:

1. Steps: ``child_informed`` yes becomes ``child_information`` "given". A record that
   stands at "attended" although no attended step says the child got information
   goes back to "identified" (attended now needs both parts; its steps stay as they
   were). Records that moved past attended keep it: a later step shows the child's
   situation was worked with.
2. Child records are per case: a parent with an open case opened on or after an
   earlier case of theirs was closed gets the children of that earlier case recorded
   afresh on the open case ("identified" the day it opened); the earlier record and
   its steps stay with the closed case.
3. The feedback clock (SoL 2025:400 19 kap. 6 §): its own legal reference, and a
   clock for reports decided in the last week whose reporter asked for feedback and
   is not anonymous (older decisions get no clock: their week has passed).
"""

import datetime

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

CLOSED = "avslutad"
FEEDBACK_TOPIC = "feedback-1-week"
OLD_TOPIC = "concern-report"
NOTE = "Registrerat på nytt från förälderns tidigare ärende (barn registreras per ärende)."


def child_information(apps):
    Step = apps.get_model("detection", "ChildRecordStep")
    Record = apps.get_model("detection", "ChildRecord")
    Step.objects.filter(child_informed=True).update(child_information="given")
    complete = Step.objects.filter(status="attended", child_information="given")
    Record.objects.filter(status="attended").exclude(pk__in=complete.values("record_id")).update(
        status="identified", attended_on=None
    )


def _key(record):
    return (
        ("p", record.child_id) if record.child_id else ("n", record.first_name, record.birth_year)
    )


def records_per_case(apps):
    Case = apps.get_model("cases", "Case")
    Record = apps.get_model("detection", "ChildRecord")
    Step = apps.get_model("detection", "ChildRecordStep")
    year = timezone.localdate().year
    parents = Record.objects.filter(case__status=CLOSED).values("parent_id")
    open_cases = Case.objects.exclude(status=CLOSED).filter(person_id__in=parents)
    for case in open_cases.order_by("pk"):
        earlier = (
            Record.objects.filter(parent_id=case.person_id, case__status=CLOSED)
            .filter(Q(case__closed_on__lte=case.opened_on) | Q(case__closed_on__isnull=True))
            .filter(birth_year__gt=year - 18)
            .order_by("-identified_on", "-pk")
        )
        have = {_key(r) for r in Record.objects.filter(case_id=case.pk)}
        for old in earlier:
            if _key(old) in have:
                continue
            have.add(_key(old))
            by_id = old.created_by_id or case.responsible_id
            record = Record.objects.create(
                municipality_id=case.municipality_id,
                case_id=case.pk,
                unit_id=case.unit_id,
                parent_id=case.person_id,
                child_id=old.child_id,
                first_name=old.first_name,
                birth_date=old.birth_date,
                birth_year=old.birth_year,
                custody=old.custody,
                lives_with=old.lives_with,
                other_carers=old.other_carers,
                status="identified",
                identified_on=case.opened_on,
                status_changed_on=case.opened_on,
                created_by_id=by_id,
            )
            if by_id is not None:
                Step.objects.create(
                    municipality_id=case.municipality_id,
                    record_id=record.pk,
                    status="identified",
                    on=case.opened_on,
                    by_id=by_id,
                    unit_id=case.unit_id,
                    note=NOTE,
                )


def feedback(apps):
    LegalReference = apps.get_model("cases", "LegalReference")
    DeadlineRule = apps.get_model("detection", "DeadlineRule")
    Report = apps.get_model("detection", "ConcernReport")
    LegalReference.objects.update_or_create(
        topic=FEEDBACK_TOPIC,
        law="SFS 2025:400",
        defaults={
            "rule": "Den som gjort en anmälan och begär det ska få veta om utredning inleds, "
            "inte inleds eller redan pågår, inom en vecka från beslutet",
            "law_name": "Socialtjänstlagen (2025:400)",
            "reference": "19 kap. 6 §",
            "valid_from": datetime.date(2025, 7, 1),
            "valid_to": None,
        },
    )
    DeadlineRule.objects.filter(code="feedback").update(legal_topic=FEEDBACK_TOPIC)
    rule = DeadlineRule.objects.filter(code="feedback", valid_from=None).first()
    if rule is None:
        return
    since = timezone.localdate() - datetime.timedelta(days=rule.days)
    reports = Report.objects.filter(
        feedback_requested=True, pre_assessment_decided_on__gte=since
    ).exclude(reporter_category="anonymous")
    for report in reports:
        report.feedback_rule = rule
        report.feedback_due_on = report.pre_assessment_decided_on + datetime.timedelta(
            days=rule.days
        )
        report.save(update_fields=["feedback_rule", "feedback_due_on"])


def forward(apps, schema_editor):
    child_information(apps)
    records_per_case(apps)
    feedback(apps)


def backward(apps, schema_editor):
    Step = apps.get_model("detection", "ChildRecordStep")
    Step.objects.filter(child_information="given").update(child_informed=True)
    Record = apps.get_model("detection", "ChildRecord")
    Record.objects.filter(steps__note=NOTE, status="identified").delete()
    apps.get_model("detection", "DeadlineRule").objects.filter(code="feedback").update(
        legal_topic=OLD_TOPIC
    )
    apps.get_model("cases", "LegalReference").objects.filter(topic=FEEDBACK_TOPIC).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("detection", "0003_child_information_expected_feedback"),
        ("cases", "0002_seed_legal_references"),
    ]

    operations = [migrations.RunPython(forward, backward)]
