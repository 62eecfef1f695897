"""Refusals of the application services, each with a Chinese message views show as-is."""

from __future__ import annotations


class ApplicationError(Exception):
    message: str = "操作未能完成。"

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)


class IllegalTransitionError(ApplicationError):
    message = "该申请当前状态下不能执行此操作（可能已被他人处理，请刷新页面）。"


class NotPermittedError(ApplicationError):
    message = "您没有办理该机关依申请公开的权限。"


class InvalidInputError(ApplicationError):
    message = "输入有误。"


class LetterFrozenError(ApplicationError):
    message = "告知书已签发，不能再修改。"
