"""The writes of the annual report: a request (and a new start after a failure), the run
itself (called by the background task), the section texts, and the audit row of a
download. Each takes the acting user explicitly; the run acts for the one who asked."""

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.core.models import OrgUnit, User
from kinsight.core.services import create_audited, update_audited
from kinsight.core.versioning import StaleEdit
from kinsight.followup.annual import excel, pdf
from kinsight.followup.annual.models import AnnualReport, AnnualReportText, ReportStatus
from kinsight.followup.annual.sections import scope_of, sections
from kinsight.followup.models import dashboard_units

FIRST_YEAR = 2000


class ReportRefused(Exception):
    """A run that cannot be made, with the message the page shows."""


def _enqueue(report: AnnualReport) -> None:
    from kinsight.followup.annual.tasks import generate_annual_report

    generate_annual_report.enqueue(report.pk)


def annual_report_request(*, actor: User, year: int, scope_unit: OrgUnit) -> AnnualReport:
    """A new report for ``year`` and ``scope_unit`` (a node the actor may see the
    figures of), queued for the background worker."""
    if scope_unit.pk not in dashboard_units(actor):
        raise PermissionDenied
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        message = _("Välj ett år från %(first)s till i år.") % {"first": FIRST_YEAR}
        raise ValidationError({"year": message})
    with transaction.atomic():
        report = create_audited(
            actor,
            AnnualReport,
            ["year", "scope_unit_id"],
            year=year,
            scope_unit=scope_unit,
            requested_by=actor,
        )
    _enqueue(report)
    return report


def annual_report_restart(*, actor: User, report: AnnualReport) -> AnnualReport:
    """Start a failed (or lost) report again: the same year and scope, for the one who
    restarts, from now."""
    if not report.may_restart:
        raise ValidationError(_("Bara en rapport som misslyckades kan startas igen."))
    with transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.QUEUED,
            progress=0,
            message="",
            requested_by=actor,
            requested_at=timezone.now(),
        )
        changes = {"status": [report.status, ReportStatus.QUEUED]}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=report, changes=changes)
    report.refresh_from_db()
    _enqueue(report)
    return report


def _set(report: AnnualReport, **values: object) -> None:
    AnnualReport.objects.filter(pk=report.pk).update(**values)


def texts_of(report: AnnualReport) -> dict[str, AnnualReportText]:
    """The head of services' texts for the report's year and scope, by section."""
    rows = AnnualReportText.objects.filter(
        municipality_id=report.municipality_id, scope_unit_id=report.scope_unit_id, year=report.year
    )
    return {row.section: row for row in rows}


def annual_report_generate(report_id: int) -> None:
    """Make the report's PDF and workbook, the progress kept per section; a failure is
    kept as the message the page shows (the files of an earlier run are kept)."""
    report = AnnualReport.objects.select_related("scope_unit", "requested_by", "municipality").get(
        pk=report_id
    )
    _set(report, status=ReportStatus.RUNNING, progress=0, message="")
    try:
        with translation.override(settings.LANGUAGE_CODE):
            files = _files(report)
    except ReportRefused as refused:
        _set(report, status=ReportStatus.FAILED, message=str(refused), finished_at=timezone.now())
        return
    except Exception:  # noqa: BLE001 - record_failure logs it
        text = gettext_lazy(
            "Rapporten kunde inte skapas på grund av ett fel i systemet. Starta den igen; "
            "händer det igen, kontakta systemförvaltningen."
        )
        report.record_failure(text, ReportStatus.FAILED, finished_at=timezone.now())
        return
    _set(report, status=ReportStatus.DONE, progress=100, finished_at=timezone.now(), **files)


def _files(report: AnnualReport) -> dict[str, bytes]:
    scope = scope_of(report.requested_by, report.scope_unit)
    if report.scope_unit_id not in dashboard_units(report.requested_by) or not scope.units:
        raise ReportRefused(
            _(
                "%(user)s ser inte längre nyckeltalen för %(scope)s. "
                "Be någon som gör det att starta rapporten."
            )
            % {"user": report.requested_by.get_full_name(), "scope": report.scope_unit.name}
        )
    texts = {key: row.text for key, row in texts_of(report).items()}

    def progress(done: int, total: int) -> None:
        _set(report, progress=int(80 * done / total))

    found = sections(scope, report.year, texts, progress)
    facts = {
        "municipality": report.municipality.name,
        "scope": report.scope_unit.name,
        "year": report.year,
        "sections": found,
    }
    made = {"pdf": pdf.render(**facts)}
    _set(report, progress=90)
    made["xlsx"] = excel.workbook(**facts)
    return made


def annual_report_texts_save(
    *,
    actor: User,
    report: AnnualReport,
    texts: Mapping[str, str],
    versions: Mapping[str, int],
) -> int:
    """Save the changed section texts for the report's year and scope, all or none: a
    text changed by someone else since the form was loaded (``versions``: the version
    each was read at, 0 for none yet) refuses the save. Returns how many changed."""
    changed = 0
    with transaction.atomic():
        stored = texts_of(report)
        for key, text in texts.items():
            row = stored.get(key)
            if row is None and versions.get(key):
                raise StaleEdit(StaleEdit.message)
            if row is None:
                if text.strip():
                    create_audited(
                        actor,
                        AnnualReportText,
                        ["year", "scope_unit_id", "section", "text"],
                        year=report.year,
                        scope_unit_id=report.scope_unit_id,
                        section=key,
                        text=text,
                        updated_by=actor,
                    )
                    changed += 1
                continue
            if row.text == text:
                continue
            values = {"text": text, "updated_by": actor, "updated_at": timezone.now()}
            update_audited(
                actor, row, values, expected_version=versions.get(key), audited=["text"], stored=row
            )
            changed += 1
    return changed


def annual_report_export(*, actor: User, report: AnnualReport, fmt: str) -> None:
    """Record that the report's file ``fmt`` (pdf, xlsx) was downloaded (aggregates,
    small counts hidden: no personal data)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            obj=report,
            changes={"format": fmt, "year": report.year, "scope_unit": report.scope_unit_id},
        )
