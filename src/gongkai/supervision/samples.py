"""Constructed annual reports for the demo, the benchmark and the tests.

A consistent 2021-format report (every table rule holds) with figures that vary with a seed,
rendered as the official HTML page — which the reader reads back losslessly. ``flaw`` breaks
it in a way the auditor must find: ``"s1"`` adds one to 本年新收 (S1 and T2 fail), ``"t4"``
breaks table 四's total.
"""

from __future__ import annotations

from gongkai.law.report_format import FORMAT_2021
from gongkai.reportdoc.model import Report
from gongkai.reportdoc.render_html import render_report

SECTIONS = {
    "overview": (
        "{year}年，{agency}深入贯彻落实《中华人民共和国政府信息公开条例》，"
        "围绕中心工作推进政务公开，全年主动公开政府信息{items}条。"
    ),
    "proactive": "主动公开政府信息情况见下表。",
    "applications": "收到和处理政府信息公开申请情况见下表。",
    "appeals": "政府信息公开行政复议、行政诉讼情况见下表。",
    "problems": (
        "一是政策解读的形式还比较单一，图解和视频解读偏少。"
        "二是部分工作人员对依申请公开的答复规范掌握不够。"
        "下一步将加强业务培训，持续提升政府信息公开工作质量。"
    ),
    "other": "本年度未收取信息处理费。{agency}按要求落实年度政务公开工作要点。",
}


def build_report(
    agency: str,
    year: int,
    *,
    seed: int = 0,
    carried_over: int | None = None,
    flaw: str = "",
    problems: str | None = None,
    published: str | None = None,
) -> Report:
    fmt = FORMAT_2021
    tables = fmt.empty_tables()
    table2 = tables["table2"]
    for i, item in enumerate(fmt.table2):
        for j, column in enumerate(item.columns):
            table2[item.key][column.key] = (seed + i + j) % 7
    table3 = tables["table3"]
    leaves = fmt.table3_leaf_keys
    applicant = fmt.table3_applicant_keys
    for n, key in enumerate(leaves):
        for m, col in enumerate(applicant):
            table3[key][col] = (n * 3 + m + seed) % 5 if m in {0, 1} else 0
    for m, col in enumerate(applicant):
        over = (seed + m) % 2 if m in {0, 1} else 0
        if carried_over is not None:
            over = carried_over if m == 0 else 0
        forward = (seed + m + 1) % 2 if m in {0, 1} else 0
        if over > forward + sum(table3[k][col] for k in leaves):
            table3["granted"][col] += over  # no negative 本年新收
        processed = sum(table3[k][col] for k in leaves)
        table3["total_processed"][col] = processed
        table3["carried_over"][col] = over
        table3["carried_forward"][col] = forward
        table3["new_received"][col] = processed + forward - over
    for row in table3.values():
        row["total"] = sum(row[c] for c in applicant)
    table4 = tables["table4"]
    for b, block in enumerate(fmt.table4_block_keys):
        cells = {"upheld": (seed + b) % 3, "corrected": b % 2, "other": 0, "pending": seed % 2}
        table4[block] = {**cells, "total": sum(cells.values())}
    if flaw == "s1":
        table3["new_received"]["natural_person"] += 1
    elif flaw == "t4":
        table4["reconsideration"]["total"] += 2
    values = {"agency": agency, "year": year, "items": 100 + seed}
    sections = {key: text.format(**values) for key, text in SECTIONS.items()}
    if problems is not None:
        sections["problems"] = problems
    return Report(
        format=fmt.id,
        agency=agency,
        year=year,
        published=published,
        title=f"{agency}{year}年政府信息公开工作年度报告",
        sections=sections,
        table2=table2,
        table3=table3,
        table4=table4,
    )


def report_html(report: Report) -> bytes:
    return render_report(report, standalone=True, findings=False).encode("utf-8")


def carried_forward(report: Report) -> int:
    """What next year's 上年结转 (自然人) must be for Y1 to hold."""
    return int(report.table3["carried_forward"]["natural_person"] or 0)
