"""Event-log action codes written by the application services."""

from __future__ import annotations

from gongkai.eventlog.registry import register_actions

REGISTERED = "applications.registered"
IMPORTED = "applications.imported"
PERSONAL_DATA_VIEWED = "applications.personal_data_viewed"
CORRECTION_REQUESTED = "applications.correction_requested"
CORRECTION_RECEIVED = "applications.correction_received"
CLOSED_NO_CORRECTION = "applications.closed_no_correction"
CONSULTATION_STARTED = "applications.consultation_started"
CONSULTATION_REPLIED = "applications.consultation_replied"
EXTENDED = "applications.extended"
EXTENSION_REQUESTED = "applications.extension_requested"
EXTENSION_REJECTED = "applications.extension_rejected"
EXTENSION_LAPSED = "applications.extension_lapsed"
FEE_NOTICE_SENT = "applications.fee_notice_sent"
FEE_PAID = "applications.fee_paid"
FEE_LAPSED = "applications.fee_lapsed"
DECIDED = "applications.decided"
ANSWERED = "applications.answered"
DEADLINE_RECOMPUTED = "applications.deadline_recomputed"
REMINDER_SENT = "applications.reminder_sent"
APPLICANT_NOTIFIED = "applications.applicant_notified"
LETTER_SIGNED = "applications.letter_signed"
LETTER_EDITED = "applications.letter_edited"
ARCHIVE_DOWNLOADED = "applications.archive_downloaded"
SUBMITTED_ONLINE = "applications.submitted_online"
IDENTITY_PROOF_VIEWED = "applications.identity_proof_viewed"
CASE_TAKEN = "applications.case_taken"
LETTER_DOWNLOADED_BY_APPLICANT = "applications.letter_downloaded_by_applicant"
ANSWER_DOCUMENT_ADDED = "applications.answer_document_added"
ANSWER_DOCUMENT_REMOVED = "applications.answer_document_removed"
DELIVERED_ONLINE = "applications.delivered_online"
LETTER_DOWNLOADED = "applications.letter_downloaded"
LETTER_TEMPLATE_UPLOADED = "applications.letter_template_uploaded"
LETTER_TEMPLATE_REVERTED = "applications.letter_template_reverted"

ACTIONS: dict[str, str] = {
    REGISTERED: "登记政府信息公开申请",
    IMPORTED: "导入历史申请",
    PERSONAL_DATA_VIEWED: "查看申请人完整信息",
    CORRECTION_REQUESTED: "发出补正通知",
    CORRECTION_RECEIVED: "收到补正后的申请",
    CLOSED_NO_CORRECTION: "逾期未补正，不再处理",
    CONSULTATION_STARTED: "发出征求意见函",
    CONSULTATION_REPLIED: "收到征求意见答复",
    EXTENDED: "延长答复期限（经负责人批准）",
    EXTENSION_REQUESTED: "申请延长答复期限（送负责人审批）",
    EXTENSION_REJECTED: "延长答复期限申请未获批准",
    EXTENSION_LAPSED: "延长答复期限申请失效（未在期限内批准）",
    FEE_NOTICE_SENT: "发出收费通知",
    FEE_PAID: "申请人缴纳信息处理费",
    FEE_LAPSED: "逾期未缴费，不再处理",
    DECIDED: "作出答复决定",
    ANSWERED: "答复已送达（办结）",
    DEADLINE_RECOMPUTED: "重新计算答复期限",
    REMINDER_SENT: "发送办理提醒邮件",
    APPLICANT_NOTIFIED: "向申请人发送邮件",
    LETTER_SIGNED: "告知书签发（生成文号）",
    LETTER_EDITED: "修改告知书草稿",
    ARCHIVE_DOWNLOADED: "下载案卷归档包",
    SUBMITTED_ONLINE: "申请人网上提交申请（生成查询码）",
    IDENTITY_PROOF_VIEWED: "查看申请人身份证明",
    CASE_TAKEN: "承办人认领网上申请",
    LETTER_DOWNLOADED_BY_APPLICANT: "申请人在线下载文书",
    ANSWER_DOCUMENT_ADDED: "添加提供的政府信息文件",
    ANSWER_DOCUMENT_REMOVED: "删除提供的政府信息文件",
    DELIVERED_ONLINE: "网上送达（生成下载链接）",
    LETTER_DOWNLOADED: "申请人通过链接下载",
    LETTER_TEMPLATE_UPLOADED: "上传告知书模板",
    LETTER_TEMPLATE_REVERTED: "告知书模板恢复为默认",
}

register_actions(ACTIONS)
