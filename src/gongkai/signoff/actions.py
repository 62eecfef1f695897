"""Event-log action codes written by the sign-off services."""

from __future__ import annotations

from gongkai.eventlog.registry import register_actions

SUBMITTED = "signoff.submitted"
STEP_APPROVED = "signoff.step_approved"
STEP_RETURNED = "signoff.step_returned"
CHAIN_APPROVED = "signoff.chain_approved"
RESUBMITTED = "signoff.resubmitted"
WITHDRAWN = "signoff.withdrawn"
STEP_DELEGATED = "signoff.step_delegated"
# The 待审稿件 model is gone (migration 0003); its codes stay so past events keep their labels.
DOCUMENT_CREATED = "signoff.document_created"
DOCUMENT_UPDATED = "signoff.document_updated"
APPROVAL_SUPERSEDED = "signoff.approval_superseded"
EDITOR_NAMED = "signoff.editor_named"
EDITOR_REVOKED = "signoff.editor_revoked"

ACTIONS: dict[str, str] = {
    SUBMITTED: "送审",
    STEP_APPROVED: "审核通过",
    STEP_RETURNED: "退回修改",
    CHAIN_APPROVED: "审核流程完成（签发）",
    RESUBMITTED: "修改后重新送审",
    WITHDRAWN: "撤回送审",
    STEP_DELEGATED: "委托审核",
    DOCUMENT_CREATED: "新建稿件",
    DOCUMENT_UPDATED: "修改稿件",
    APPROVAL_SUPERSEDED: "已签发稿件被修改（原签发失效，需重新审核）",
    EDITOR_NAMED: "指定编辑人员",
    EDITOR_REVOKED: "撤销编辑人员",
}

register_actions(ACTIONS)
