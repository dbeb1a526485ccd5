"""The writes of an import: the upload (its dry run queued), the dry run and the run
(called by the background tasks, in batches, each batch one transaction with its audit
row), and undo. Each takes the acting user; the tasks act for the one who uploaded.

Audit: the upload is one row (the import, its kind and file name); each batch of the
run is one row (CREATE on the import: the batch's counts and the persons it wrote as
subjects), the end of the run one more with the totals; an undo is one DELETE row with
the persons concerned; a download of the error report is an EXPORT row. No row per
field or per record: the ImportedRecord rows name every record written."""

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.access.rules import municipality_id_of, require_administrator
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.cases.models import Case
from kinsight.core.models import User
from kinsight.imports import formats
from kinsight.imports.engine import Context, plan, write
from kinsight.imports.kinds import SPECS
from kinsight.imports.models import Import, ImportedRecord, ImportKind, ImportState, Outcome
from kinsight.people.grants import grants_rebuild
from kinsight.people.models import Person, PersonGrant, Relationship

BATCH = 1000
FAILED = gettext_lazy(
    "Importen avbröts på grund av ett fel i systemet. Starta den igen; händer det igen, "
    "kontakta systemförvaltningen."
)


def _set(run: Import, **values: Any) -> None:
    Import.objects.filter(pk=run.pk).update(**values)


def import_upload(*, actor: User, kind: str, name: str, data: bytes) -> Import:
    """Keep the uploaded file and queue its dry run. Refuses a file of another type,
    too large, or whose header lacks a required column."""
    require_administrator(actor)
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Välj vad filen innehåller.")})
    if len(data) > formats.MAX_BYTES:
        raise ValidationError({"file": _("Filen är större än 20 MB. Dela upp den.")})
    file_format = formats.format_of(name)
    formats.read_rows(data, file_format, kind)  # the header, refused now rather than later
    with transaction.atomic():
        run = Import.objects.create(
            municipality_id=municipality_id_of(actor),
            kind=kind,
            file_name=name[-200:],
            file_format=file_format,
            data=data,
            uploaded_by=actor,
        )
        changes = {"kind": kind, "file_name": run.file_name, "bytes": len(data)}
        audit_record(actor=actor, action=AuditAction.CREATE, obj=run, changes=changes, subjects=[])
    _enqueue("check", run)
    run.refresh_from_db()
    return run


def _enqueue(what: str, run: Import) -> None:
    from kinsight.imports import tasks

    (tasks.check_import if what == "check" else tasks.run_import).enqueue(run.pk)


def _batches(run: Import) -> list[list[tuple[int, dict[str, str]]]]:
    rows = formats.read_rows(bytes(run.data), run.file_format, run.kind)
    return [rows[start : start + BATCH] for start in range(0, len(rows), BATCH)]


def _guarded(run: Import, work: Callable[[], None]) -> None:
    """Run ``work()``; a failure is kept as the message the page shows."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            work()
    except Exception:  # noqa: BLE001 - record_failure logs it
        run.record_failure(FAILED, ImportState.FAILED, finished_at=timezone.now())


def import_check(import_id: int) -> None:
    """The dry run: every row's outcome against what is stored now, nothing written."""
    run = Import.objects.select_related("uploaded_by").get(pk=import_id)
    _set(run, state=ImportState.CHECKING, progress=0, started_at=timezone.now())

    def work() -> None:
        ctx, spec = Context(run, run.uploaded_by), SPECS[run.kind]
        report: list[list[Any]] = []
        batches = _batches(run)
        for number, batch in enumerate(batches, start=1):
            report += [p.as_report() for p in plan(spec, ctx, batch)]
            _set(run, progress=int(99 * number / len(batches)))
        counts = dict(Counter(row[1] for row in report))
        _set(run, state=ImportState.CHECKED, progress=100, report=report, counts=counts)

    _guarded(run, work)


def import_start(*, actor: User, run: Import) -> Import:
    """Queue the run of a checked import (or one that failed or was lost)."""
    require_administrator(actor)
    if not run.may_run:
        raise ValidationError(_("Importen kan bara startas efter provkörningen."))
    with transaction.atomic():
        _set(run, state=ImportState.RUNNING, progress=0, message="", started_at=timezone.now())
        changes = {"state": [run.state, ImportState.RUNNING]}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=run, changes=changes, subjects=[])
    _enqueue("run", run)
    run.refresh_from_db()
    return run


def import_run(import_id: int) -> None:
    """The run: batch by batch, each planned again against what is stored now and
    written in one transaction with its audit row; then the access grants rebuilt."""
    run = Import.objects.select_related("uploaded_by").get(pk=import_id)

    def work() -> None:
        actor, spec = run.uploaded_by, SPECS[run.kind]
        ctx = Context(run, actor)
        totals: Counter[str] = Counter()
        batches = _batches(run)
        for number, batch in enumerate(batches, start=1):
            with transaction.atomic():
                planned = plan(spec, ctx, batch)
                counts = Counter(p.outcome for p in planned)
                subjects, _written = write(spec, ctx, planned)
                totals.update(counts)
                changes = {"batch": number, **{k: counts.get(k, 0) for k in Outcome.values}}
                audit_record(
                    actor=actor,
                    action=AuditAction.CREATE,
                    obj=run,
                    changes=changes,
                    subjects=subjects,
                )
                _set(run, progress=int(95 * number / len(batches)))
        with transaction.atomic():
            _rebuild_grants(run)
            final = {k: totals.get(k, 0) for k in Outcome.values}
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=run,
                changes={"state": [ImportState.RUNNING, ImportState.DONE], **final},
                subjects=[],
            )
            _set(
                run, state=ImportState.DONE, progress=100, counts=final, finished_at=timezone.now()
            )

    _guarded(run, work)


# The tables the grants are computed from: written in bulk, their planner statistics go
# stale (a grants rebuild after 35,000 new relationships took minutes instead of a second).
GRANT_SOURCES = (Person, Relationship, Case, PersonGrant)


def _rebuild_grants(run: Import) -> None:
    """The access grants of everything written (the bulk writes bypass the services
    that keep them), after fresh planner statistics on PostgreSQL."""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in GRANT_SOURCES)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
    grants_rebuild(run.municipality_id)


# --- undo ------------------------------------------------------------------------------

# The order records are undone in: what hangs on a record before the record.
UNDO_ORDER = [
    ImportKind.NOTES,
    ImportKind.CHILDREN,
    ImportKind.CASES,
    ImportKind.RELATIONSHIPS,
    ImportKind.PERSONS,
]


def _changed_since(run: Import) -> tuple[list[ImportedRecord], dict[int, Any], list[str]]:
    """The run's records, the stored rows by (model, id), and a line per record that
    changed since (version moved, or gone)."""
    records = list(ImportedRecord.objects.filter(run=run))
    stored: dict[int, Any] = {}
    problems = []
    rows = SPECS[run.kind].model._base_manager.all()
    if run.kind in (ImportKind.NOTES, ImportKind.CHILDREN):
        rows = rows.select_related("case")
    ids = [r.object_id for r in records]
    for start in range(0, len(ids), 5000):
        for obj in rows.filter(pk__in=ids[start : start + 5000]):
            stored[obj.pk] = obj
    for record in records:
        obj = stored.get(record.object_id)
        if obj is None or getattr(obj, "version", record.version) != record.version:
            problems.append(
                _("Rad med nyckel %(key)s har ändrats i Kinsight efter importen.")
                % {"key": record.key}
            )
    return records, stored, problems


def import_undo(*, actor: User, run: Import) -> Import:
    """Remove what the import created and put back what it changed, all or nothing,
    while none of it has been changed since; else refuse, naming what changed."""
    require_administrator(actor)
    if not run.may_undo:
        raise ValidationError(_("Bara en genomförd import kan ångras."))
    spec = SPECS[run.kind]
    with transaction.atomic():
        records, stored, problems = _changed_since(run)
        if problems:
            shown = problems[:20]
            more = len(problems) - len(shown)
            tail = _(" … och %(n)s till.") % {"n": more} if more else ""
            raise ValidationError(
                _("Importen kan inte ångras: %(what)s%(tail)s")
                % {"what": " ".join(shown), "tail": tail}
            )
        subjects: list[int] = []
        for record in records:
            subjects += spec.subjects(_with_person(stored[record.object_id]))
            if not record.created:
                obj = stored[record.object_id]
                for name, value in (record.before or {}).items():
                    setattr(obj, name, value)
                obj.version += 1
                obj.save()
        created = [r.object_id for r in records if r.created]
        _refuse_related(run, created)
        try:
            spec.model._base_manager.filter(pk__in=created).delete()
        except ProtectedError as error:
            raise ValidationError(
                _(
                    "Importen kan inte ångras: något har lagts till i Kinsight som hänger på "
                    "de importerade posterna (%(what)s)."
                )
                % {
                    "what": ", ".join(
                        sorted({str(o._meta.verbose_name_plural) for o in error.protected_objects})
                    )
                }
            ) from error
        ImportedRecord.objects.filter(run=run).delete()
        _rebuild_grants(run)
        changes = {
            "state": [run.state, ImportState.UNDONE],
            "removed": len(created),
            "restored": len(records) - len(created),
        }
        audit_record(
            actor=actor, action=AuditAction.DELETE, obj=run, changes=changes, subjects=subjects
        )
        _set(run, state=ImportState.UNDONE, finished_at=timezone.now())
    run.refresh_from_db()
    return run


def _refuse_related(run: Import, created: list[int]) -> None:
    """Persons with relationships (imported by another file, or added in Kinsight)
    stay: their relationships would go with them."""
    if run.kind != ImportKind.PERSONS:
        return
    related = Relationship._base_manager.filter(
        Q(from_person_id__in=created) | Q(to_person_id__in=created)
    )
    if related.exists():
        raise ValidationError(
            _(
                "Importen kan inte ångras: %(count)s av personerna har relationer. Ångra "
                "importen av relationerna först, eller ta bort relationerna som lagts till."
            )
            % {"count": related.values("from_person_id").distinct().count()}
        )


def _with_person(obj: Any) -> Any:
    if not hasattr(obj, "subject_person") and hasattr(obj, "case"):
        obj.subject_person = obj.case.person_id
    return obj


def import_report_export(*, actor: User, run: Import, file_format: str) -> bytes:
    """The dry run's report as a file, audited as an export of the import."""
    require_administrator(actor)
    labels = dict(Outcome.choices)
    rows: list[list[Any]] = [[_("Rad"), _("Utfall"), _("Nyckel"), _("Orsak")]]
    rows += [
        [line, labels.get(outcome, outcome), key, reason]
        for line, outcome, key, reason in run.report
    ]
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            obj=run,
            changes={"format": file_format, "rows": len(run.report)},
            subjects=[],
        )
    return formats.write_table(rows, file_format, _("Provkörning"))
