"""Render a frozen report as JSON, HTML, DOCX or PDF; the same report gives the same bytes."""

from __future__ import annotations

import json
from typing import Any

from gongkai.annual.document import to_report
from gongkai.annual.render_docx import html_to_docx
from gongkai.reportdoc.render_html import render_report, report_title

FORMATS = ("json", "html", "docx", "pdf")
CONTENT_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def report_json(annual: Any) -> dict[str, Any]:
    data = to_report(annual).to_json()
    data["findings"] = list(annual.findings)
    data["frozen_at"] = annual.frozen_at.isoformat() if annual.frozen_at else None
    data["overrides"] = annual.overrides
    return data


def report_html(annual: Any, *, standalone: bool = True) -> str:
    return render_report(to_report(annual), findings=False, standalone=standalone)


def render(annual: Any, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps(
            report_json(annual), ensure_ascii=False, indent=2, sort_keys=True
        ).encode()
    html = report_html(annual)
    if fmt == "html":
        return html.encode("utf-8")
    title = report_title(to_report(annual))
    if fmt == "docx":
        return html_to_docx(html, title=title, created=annual.frozen_at)
    if fmt == "pdf":
        from gongkai.rendering.pdf import html_to_pdf  # noqa: PLC0415

        return html_to_pdf(html, title=title, created=annual.frozen_at)
    raise ValueError(fmt)


def filename(annual: Any, fmt: str) -> str:
    return f"{annual.signoff_title}.{fmt}"
