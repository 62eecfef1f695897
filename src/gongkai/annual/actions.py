"""Event-log action codes written by the annual report services."""

from __future__ import annotations

from gongkai.eventlog.registry import register_actions

ACTIONS: dict[str, str] = {
    "annual.generated": "生成年度报告草稿",
    "annual.refrozen": "重新统计年度报告",
    "annual.section_edited": "编辑年度报告正文",
    "annual.cell_overridden": "人工修改年度报告统计数",
    "annual.override_cleared": "撤销人工修改的统计数",
    "annual.submitted": "年度报告送审",
    "annual.approved": "年度报告签发",
    "annual.returned": "年度报告退回修改",
    "annual.imported": "导入往年年度报告",
    "annual.published": "年度报告公开",
    "annual.publish_queued": "年度报告开始发布",
    "annual.publish_failed": "年度报告发布失败",
    "annual.deadline_reminded": "年度报告公开期限提醒",
}

register_actions(ACTIONS)
