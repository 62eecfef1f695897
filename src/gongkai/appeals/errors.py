"""Refusals of the appeals services, each with a Chinese message views show as-is."""

from __future__ import annotations


class AppealError(Exception):
    message: str = "操作未能完成。"

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)


class IllegalTransitionError(AppealError):
    message = "该案件当前状态下不能执行此操作（可能已被他人处理，请刷新页面）。"


class NotPermittedError(AppealError):
    message = "您没有登记该机关复议、诉讼案件的权限。"


class InvalidInputError(AppealError):
    message = "输入有误。"
