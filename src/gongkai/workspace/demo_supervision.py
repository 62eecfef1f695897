"""「演示数据」 for supervision: a few collected reports of 示范市 so the demo supervisor's board
means something — a clean report, one with table errors and last year's text copied, one
published late, and one agency whose report has not arrived."""

from __future__ import annotations

from typing import Any

from gongkai.agencies.models import Region, User
from gongkai.supervision import services
from gongkai.supervision.samples import build_report, report_html

REPORTS = (
    # (agency, year, build options)
    ("示范市信访局", 2023, {"seed": 1, "published": "2024-01-18"}),
    ("示范市信访局", 2024, {"seed": 2, "flaw": "s1", "published": "2025-01-20"}),
    ("示范市自然资源和规划局", 2024, {"seed": 3, "flaw": "t4", "published": "2025-02-14"}),
    (
        "示范市自然资源和规划局",
        2023,
        {
            "seed": 4,
            "published": "2024-01-30",
            "problems": "一是政务新媒体更新频率不高。二是不动产登记类信息公开的时效性有待提升。",
        },
    ),
)


def load_supervision_demo(supervisor: User, city: Region, summary: Any) -> None:
    """Upload the demo reports once (a second run finds them by hash and adds nothing)."""
    uploads = [
        (
            f"{agency}{year}年政府信息公开工作年度报告.html",
            report_html(build_report(agency, year, **kw)),
        )
        for agency, year, kw in REPORTS
    ]
    result = services.receive_uploads(
        actor=supervisor, region=city, uploads=uploads, title="演示：示范市年报收集"
    )
    for _ in result.received:
        summary.bump("collected_report")
