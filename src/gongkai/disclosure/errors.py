"""Refusals of the disclosure services; ``message`` is Chinese and shown to users as-is."""

from __future__ import annotations

from gongkai.signoff.errors import SignoffError


class DisclosureError(SignoffError):
    message = "操作未能完成。"


class IllegalItemTransitionError(DisclosureError):
    message = "该信息当前状态下不能执行此操作。"


class NotPermittedError(DisclosureError):
    message = "您没有执行此操作的权限。"


class ItemLockedError(DisclosureError):
    message = "信息正在审核中，不能修改；如需修改请先撤回送审。"


class UnresolvedFindingsError(DisclosureError):
    message = "检查发现疑似个人信息，须删除或由审核人员确认后才能送审。"


class RevisionNotApprovedError(DisclosureError):
    message = "只能发布审核通过的版本；信息在审核后已被修改，须重新送审。"


class ScheduleNotConfirmedError(DisclosureError):
    message = "领导接访日程须先「已与接访领导确认日程」才能发布。"


class ReasonRequiredError(DisclosureError):
    message = "必须填写理由。"


class BadAttachmentError(DisclosureError):
    message = "附件不符合要求。"


class ColumnError(DisclosureError):
    message = "栏目设置无效。"


class IndexFormatError(DisclosureError):
    message = "索引号格式无效：只能使用 {org}、{year}、{serial}，且必须包含 {serial}。"
