"""Reading and auditing one received file, and re-running the rules on a version.

The rules always run on the report as read (``ReportVersion.report_json``) with the people's
corrections applied on a copy, so the parsed value stays what the reader produced. Findings are
synchronised by identity (rule, severity, cells, message): one that the re-run still produces
keeps its review state; one it no longer produces is deactivated, not deleted, so the history
of what was reviewed stays.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from gongkai.law.findings import Finding as RuleFinding
from gongkai.law.findings import Severity
from gongkai.law.report_format import FORMAT_2021, FORMATS
from gongkai.reportdoc.checks import audit
from gongkai.reportdoc.copied import check_copied
from gongkai.reportdoc.model import Report
from gongkai.reportdoc.serialize import report_from_json
from gongkai.supervision.deadlines import deadline_for
from gongkai.supervision.models import CellCorrection, Finding, ReportVersion


def finding_key(f: RuleFinding) -> str:
    raw = json.dumps([f.rule, str(f.severity), list(f.cells), f.message], ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def valid_cells(fmt_id: str | None) -> set[str]:
    fmt = FORMATS.get(fmt_id or "", FORMAT_2021)
    return {
        f"{table}.{row}.{col}"
        for table, rows in fmt.empty_tables().items()
        for row, cols in rows.items()
        for col in cols
    }


def parse_value(raw: str, cell: str) -> int | Decimal:
    """A person's figure for a cell: a non-negative integer, or a decimal amount in 万元."""
    text = raw.strip().replace(",", "").replace("，", "")
    amount = cell.startswith("table2.") and ".amount" in cell
    try:
        value = Decimal(text) if amount else int(text)
    except (InvalidOperation, ValueError):
        raise ValueError("请填写数字（金额可带小数，其他为整数）") from None
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("请填写数字")
    if value < 0 and not cell.endswith(".change"):
        raise ValueError("数值不能为负数")
    if abs(value) > 10**9:
        raise ValueError("数值过大")
    return value


def corrected_report(version: ReportVersion) -> Report:
    """The report as read, with the latest correction of each cell applied."""
    report = report_from_json(version.report_json)
    latest: dict[str, Any] = {}
    for correction in version.corrections.all():
        latest[correction.cell] = correction.value
    if not latest:
        return report
    for path, value in latest.items():
        table, row, col = path.split(".")
        number = Decimal(str(value)) if isinstance(value, float | str) else value
        getattr(report, table).setdefault(row, {})[col] = number
    # the reader's "could not read this cell" and "blank" findings no longer apply to a cell
    # a person has read; a finding about several cells stays until all of them are read
    report.findings = [
        f
        for f in report.findings
        if not (f.rule in {"R1", "R2", "B1"} and f.cells and set(f.cells) <= latest.keys())
    ]
    return report


def rule_findings(version: ReportVersion, previous: ReportVersion | None) -> list[RuleFinding]:
    report = corrected_report(version)
    before = corrected_report(previous) if previous is not None else None
    deadline = deadline_for(version.agency, version.year)
    audited = audit(report, previous=before, deadline_rule=lambda _r: deadline)
    findings = list(audited.findings)
    if before is not None:
        findings += check_copied(report.sections, before.sections)
    return findings


def sync_findings(version: ReportVersion, findings: list[RuleFinding]) -> None:
    """Make the version's active findings exactly ``findings``, keeping review states."""
    existing = {f.key: f for f in version.findings.all()}
    wanted = {finding_key(f): f for f in findings}
    reactivate = [f.pk for key, f in existing.items() if key in wanted and not f.active]
    deactivate = [f.pk for key, f in existing.items() if key not in wanted and f.active]
    if reactivate:
        Finding.objects.filter(pk__in=reactivate).update(active=True)
    if deactivate:
        Finding.objects.filter(pk__in=deactivate).update(active=False)
    Finding.objects.filter(version=version).exclude(agency_id=version.agency_id).update(
        agency_id=version.agency_id
    )
    Finding.objects.bulk_create(
        [
            Finding(
                version=version,
                agency_id=version.agency_id,
                rule=f.rule,
                severity=str(f.severity),
                message=f.message,
                cells=list(f.cells),
                key=key,
            )
            for key, f in wanted.items()
            if key not in existing
        ]
    )
    counts = dict.fromkeys(Severity, 0)
    for f in wanted.values():
        counts[f.severity] += 1
    version.errors = counts[Severity.ERROR]
    version.warnings = counts[Severity.WARNING]
    version.notices = counts[Severity.NOTICE]


def publication(report_json: dict[str, Any]) -> date | None:
    raw = report_json.get("published")
    try:
        return date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def refresh_deadline(version: ReportVersion) -> None:
    version.deadline = deadline_for(version.agency, version.year)
    version.published = publication(version.report_json)
    version.late = bool(
        version.deadline and version.published and version.published > version.deadline
    )


def with_report_findings(version: ReportVersion) -> Report:
    """The corrected report with its active findings, for rendering."""
    report = corrected_report(version)
    findings = [
        RuleFinding(f.rule, Severity(f.severity), f.message, tuple(f.cells))
        for f in version.findings.all()
        if f.active
    ]
    return replace(report, findings=findings)


__all__ = ["CellCorrection", "corrected_report", "rule_findings", "sync_findings"]
