"""Refusals of the sign-off engine.

Every refusal is a ``SignoffError`` carrying a Chinese ``message`` that views show as-is, so a
reviewer learns why an action was refused without seeing a stack trace or internal detail.
"""

from __future__ import annotations


class SignoffError(Exception):
    message: str = "审核操作未能完成。"

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)


class IllegalTransitionError(SignoffError):
    message = "当前状态下不能执行此操作。"


class ChainClosedError(IllegalTransitionError):
    message = "该审核流程已结束，不能再操作。"


class StepNotActiveError(IllegalTransitionError):
    message = "该审核环节当前不在待审核状态（可能已被他人处理）。"


class AlreadyInReviewError(SignoffError):
    message = "该稿件已有进行中的审核流程，不能重复送审。"


class NotPermittedError(SignoffError):
    message = "您没有此审核环节的审核权限。"


class SelfApprovalForbiddenError(SignoffError):
    message = "本环节不允许审核本人送审的稿件。"


class StaleRevisionError(SignoffError):
    message = "稿件内容在送审后已被修改，请刷新页面或退回重新送审。"


class CommentRequiredError(SignoffError):
    message = "退回修改必须填写意见。"


class InvalidDelegationError(SignoffError):
    message = "不能委托给该人员：被委托人必须是本机关在岗成员，且不能是本人。"


class EmptyTemplateError(SignoffError):
    message = "审核流程模板没有任何环节，无法送审。"


class TemplateNotApplicableError(SignoffError):
    message = "该审核流程模板不适用于此稿件所属机关或类型。"


class NoTemplateError(SignoffError):
    message = "本机关尚未配置此类稿件的审核流程模板。"


class DocumentLockedError(SignoffError):
    message = "稿件正在审核中，不能修改；如需修改请先撤回。"


class InvalidTextError(SignoffError):
    """A comment, reason, title or body breaks the free-text rules (see security/text.py)."""

    message = "输入的文字不符合要求。"


class NotAuthorError(NotPermittedError):
    message = "只有起草人或本机关管理员指定的编辑人员可以修改此稿件。"


class RevisionAuthorError(SelfApprovalForbiddenError):
    message = "您参与修改了送审版本，不能审核本稿件，需由其他审核人员处理。"
