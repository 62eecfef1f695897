"""Extracted document → :class:`Report`: metadata, sections, tables, reading findings.

No consistency rule runs here (that is :func:`gongkai.reportdoc.checks.audit`); the findings
are about *reading*: cells that could not be read (R1), placements and column orders the reader
had to assume (R2), and what the document itself shows about its form (F2: a collapsed
（六）其他处理 row, non-standard labels, leftover template notes).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from gongkai.law.findings import Finding, Severity
from gongkai.reportdoc.assemble import assemble
from gongkai.reportdoc.extract import Extracted, ReportReadError
from gongkai.reportdoc.meta import read_meta
from gongkai.reportdoc.model import Report
from gongkai.reportdoc.text import extract_text


def parse_extracted(ex: Extracted) -> Report:
    meta = read_meta(ex)
    tables = assemble(ex, year=meta.year)
    read_any = any(
        v is not None
        for table in (tables.table2, tables.table3, tables.table4)
        for row in table.values()
        for v in row.values()
    )
    if meta.title is None and not read_any and len(meta.sections) < 2:
        raise ReportReadError(
            f"{ex.source}：不是政府信息公开工作年度报告（没有找到报告标题、章节标题或统计表格）",
            source=ex.source,
        )
    findings = _with_inferences(ex, list(tables.findings))
    provenance = dict(tables.provenance)
    for path, note in ex.cell_notes.items():
        if path in provenance:
            provenance[path] = replace(provenance[path], note=note)
    if meta.template_notes:
        first = meta.template_notes[0]
        findings.append(
            Finding(
                "F2",
                Severity.WARNING,
                f"报告中留有模板说明文字（第{first.number}行：“{first.text.strip()[:30]}”），"
                "发布前应删除",
            )
        )
    return Report(
        format=tables.format,
        agency=meta.agency,
        year=meta.year,
        published=meta.published,
        title=meta.title,
        sections=meta.sections,
        table2=tables.table2,
        table3=tables.table3,
        table4=tables.table4,
        findings=findings,
        provenance=provenance,
        source=ex.source,
        glued=dict(ex.glued),
    )


def _with_inferences(ex: Extracted, findings: list[Finding]) -> list[Finding]:
    """The extractor's own findings replace the assembler's R1 on the cells they explain
    (a glued run the arithmetic leaves ambiguous is written unreadable for the assembler)."""
    if not ex.reading_findings:
        return findings
    kept = []
    for finding in findings:
        if finding.rule == "R1" and finding.cells and set(finding.cells) <= ex.explained:
            continue
        kept.append(finding)
    return [*ex.reading_findings, *kept]


def read_text_report(path_or_bytes: str | Path | bytes, source: str | None = None) -> Report:
    """Read a .txt/.md report from a path or from bytes (for tests and small tools)."""
    if isinstance(path_or_bytes, bytes):
        data, name = path_or_bytes, source or "<bytes>"
    else:
        path = Path(path_or_bytes)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReportReadError(f"{path}：文件无法读取", source=str(path)) from exc
        name = source or str(path)
    kind = "md" if name.lower().endswith((".md", ".markdown")) else "txt"
    return parse_extracted(extract_text(data, name, kind))
