"""Event-log action codes written by the appeals services."""

from __future__ import annotations

from gongkai.eventlog.registry import register_actions

REGISTERED = "appeals.registered"
DEADLINES_RECORDED = "appeals.deadlines_recorded"
DECIDED = "appeals.decided"
AMENDED = "appeals.amended"
REOPENED = "appeals.reopened"
REMINDER_SENT = "appeals.reminder_sent"

ACTIONS: dict[str, str] = {
    REGISTERED: "登记行政复议或行政诉讼案件",
    DEADLINES_RECORDED: "记录复议或诉讼期限",
    DECIDED: "记录复议决定或裁判结果",
    AMENDED: "更正复议或诉讼案件信息",
    REOPENED: "因结果纠正重新办理申请",
    REMINDER_SENT: "发送复议或诉讼期限提醒",
}

register_actions(ACTIONS)
