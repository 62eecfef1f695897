"""Event-log action codes written by the disclosure services."""

from __future__ import annotations

from gongkai.eventlog.registry import register_actions

COLUMNS_SEEDED = "disclosure.columns_seeded"
COLUMN_CREATED = "disclosure.column_created"
COLUMN_UPDATED = "disclosure.column_updated"
SETTINGS_UPDATED = "disclosure.settings_updated"
ITEM_CREATED = "disclosure.item_created"
ITEM_UPDATED = "disclosure.item_updated"
ATTACHMENT_ADDED = "disclosure.attachment_added"
ATTACHMENT_REMOVED = "disclosure.attachment_removed"
ITEM_SUBMITTED = "disclosure.item_submitted"
ITEM_APPROVED = "disclosure.item_approved"
ITEM_RETURNED = "disclosure.item_returned"
SCHEDULE_CONFIRMED = "disclosure.schedule_confirmed"
ITEM_PUBLISHED = "disclosure.item_published"
ITEM_SCHEDULED = "disclosure.item_scheduled"
ITEM_WITHDRAWN = "disclosure.item_withdrawn"
FINDING_ACKNOWLEDGED = "disclosure.finding_acknowledged"
REGISTER_UPDATED = "disclosure.register_updated"
FRESHNESS_WARNED = "disclosure.freshness_warned"
CHANNEL_EXPORTED = "disclosure.channel_exported"
CHANNEL_PUBLISHED = "disclosure.channel_published"

ACTIONS: dict[str, str] = {
    COLUMNS_SEEDED: "建立默认公开栏目",
    COLUMN_CREATED: "新建栏目",
    COLUMN_UPDATED: "修改栏目设置",
    SETTINGS_UPDATED: "修改主动公开设置",
    ITEM_CREATED: "新建公开信息",
    ITEM_UPDATED: "修改公开信息",
    ATTACHMENT_ADDED: "上传附件",
    ATTACHMENT_REMOVED: "删除附件",
    ITEM_SUBMITTED: "公开信息送审",
    ITEM_APPROVED: "公开信息审核通过",
    ITEM_RETURNED: "公开信息退回修改",
    SCHEDULE_CONFIRMED: "已与接访领导确认日程",
    ITEM_PUBLISHED: "发布公开信息",
    ITEM_SCHEDULED: "定时发布公开信息",
    ITEM_WITHDRAWN: "撤稿",
    FINDING_ACKNOWLEDGED: "确认个人信息检查结果",
    REGISTER_UPDATED: "修改表二登记数据",
    FRESHNESS_WARNED: "栏目更新提醒",
    CHANNEL_EXPORTED: "导出微信公众号文章",
    CHANNEL_PUBLISHED: "发布到微信公众号",
}

register_actions(ACTIONS)
