"""Errors of the annual report verbs; ``str(exc)`` is the Chinese message shown to users."""

from __future__ import annotations


class AnnualError(Exception):
    default = "年度报告操作失败。"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default)


class IllegalTransitionError(AnnualError):
    default = "年度报告当前状态不允许该操作。"


class NotEditableError(AnnualError):
    default = "年度报告正在审核或已公开，不能修改。"


class OverrideError(AnnualError):
    default = "修改统计数需要填写理由。"


class BlockingFindingsError(AnnualError):
    default = "报告存在错误级别的检查问题，不能送审。"


class NotPermittedError(AnnualError):
    default = "您没有操作该年度报告的权限。"


class ImportReportError(AnnualError):
    default = "无法读取导入的往年年度报告。"
