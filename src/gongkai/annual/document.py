"""An :class:`AnnualReport` as a ``reportdoc`` :class:`Report`, audited with the auditor's code.

The same ``reportdoc.checks.audit`` that reads published reports runs on the draft, so a draft
the platform passes is one the auditor (and a supervising office) passes. Last year's report
for Y1/Y2/C1 is the platform's own report for year N−1 when there is one, else a report of
that year imported through the auditor's parser (status ``imported``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from gongkai.annual.deadlines import deadline_for
from gongkai.law.report_format import SECTION_KEYS
from gongkai.reportdoc.checks import audit
from gongkai.reportdoc.model import Report
from gongkai.reportdoc.serialize import report_from_json

SECTION_PLACEHOLDER = {
    "proactive": "",
    "applications": "",
    "appeals": "",
}


def _numbers(tables: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, table in tables.items():
        out[name] = {
            row: {col: (Decimal(str(v)) if isinstance(v, float) else v) for col, v in cells.items()}
            for row, cells in table.items()
        }
    return out


def to_report(annual: Any, *, published: date | None = None) -> Report:
    tables = _numbers(annual.tables)
    sections = {
        key: annual.sections.get(key, SECTION_PLACEHOLDER.get(key, "")) for key in SECTION_KEYS
    }
    if published is None and annual.published_at is not None:
        published = annual.published_at.date()
    return Report(
        format="2021",
        agency=annual.author_name,
        title=annual.signoff_title if annual.region_id else None,
        year=annual.year,
        published=published.isoformat() if published else None,
        sections=sections,
        table2=tables.get("table2", {}),
        table3=tables.get("table3", {}),
        table4=tables.get("table4", {}),
        source="gongkai",
    )


def previous_report(annual: Any) -> Report | None:
    from gongkai.annual.models import AnnualReport  # noqa: PLC0415

    if annual.region_id is not None:  # a combined report follows last year's combined report
        prior = AnnualReport.objects.filter(region_id=annual.region_id, year=annual.year - 1)
    else:
        prior = AnnualReport.objects.filter(
            agency_id=annual.agency_id, region__isnull=True, year=annual.year - 1
        )
    prior = prior.first()
    if prior is None:
        return None
    if prior.status == "imported":
        return report_from_json({**prior.computed, "sections": prior.sections})
    return to_report(prior)


def run_rules(annual: Any) -> list[dict[str, Any]]:
    report = to_report(annual)
    if annual.region_id is not None:
        level = annual.region.level
    else:
        level = annual.agency.region.level if annual.agency.region_id else None
    checked = audit(
        report,
        previous=previous_report(annual),
        deadline_rule=lambda r: deadline_for(annual.agency, r.year, level=level),
    )
    return [f.as_dict() for f in checked.findings]
