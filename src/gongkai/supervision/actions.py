"""Event codes written by the supervision services."""

from gongkai.eventlog.registry import register_actions

BATCH_CREATE = "supervision.batch_create"
FILE_RECEIVE = "supervision.file_receive"
FILE_AUDIT = "supervision.file_audit"
FILE_FAIL = "supervision.file_fail"
FILE_ASSIGN = "supervision.file_assign"
FINDING_CONFIRM = "supervision.finding_confirm"
FINDING_DISMISS = "supervision.finding_dismiss"
FINDING_FOR_CORRECTION = "supervision.finding_for_correction"
FINDING_REOPEN = "supervision.finding_reopen"
CELL_CORRECT = "supervision.cell_correct"
NOTICE_SEND = "supervision.notice_send"
NOTICE_ANSWER = "supervision.notice_answer"
NOTICE_CLOSE = "supervision.notice_close"
FETCH_REQUEST = "supervision.fetch_request"

register_actions(
    {
        BATCH_CREATE: "新建年报收集批次",
        FILE_RECEIVE: "收到年报文件",
        FILE_AUDIT: "完成年报检查",
        FILE_FAIL: "年报文件无法读取",
        FILE_ASSIGN: "指定年报所属机关和年度",
        FINDING_CONFIRM: "确认检查问题",
        FINDING_DISMISS: "排除检查问题",
        FINDING_FOR_CORRECTION: "要求机关整改问题",
        FINDING_REOPEN: "重新打开检查问题",
        CELL_CORRECT: "人工更正识别数值",
        NOTICE_SEND: "发送整改通知",
        NOTICE_ANSWER: "答复整改通知",
        NOTICE_CLOSE: "办结整改通知",
        FETCH_REQUEST: "按网址抓取年报",
    }
)
