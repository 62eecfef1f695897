"""「演示数据」 for the annual report: the platform default sign-off of a report (公开办审核 →
分管领导签发), so the demo's drafter can send the year's report for signature and the
supervisor (who also drafts in the 市政府办) can write 示范市's combined report."""

from __future__ import annotations

from typing import Any

from gongkai.agencies.models import Role
from gongkai.signoff.models import ChainTemplate, Purpose, StepTemplate

TEMPLATE_NAME = "年度报告签发"


def load_annual_demo(summary: Any) -> ChainTemplate:
    template, created = ChainTemplate.objects.get_or_create(
        agency=None, purpose=Purpose.ANNUAL_REPORT, name=TEMPLATE_NAME
    )
    if created:
        StepTemplate.objects.create(
            template=template, order=1, name="公开办审核", role=Role.REVIEWER
        )
        StepTemplate.objects.create(
            template=template, order=2, name="分管领导签发", role=Role.SIGNER
        )
        summary.bump("chain_template")
    return template
