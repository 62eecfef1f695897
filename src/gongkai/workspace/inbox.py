"""The task inbox as a list of providers, so later modules add their own sources.

A provider is ``provider(user, agency) -> InboxSection | None`` registered with
``register_provider``; the inbox page renders every section a provider returns, in
registration order. Providers must stay cheap: one or two queries, no per-row queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gongkai.signoff import selectors


@dataclass(frozen=True)
class InboxSection:
    key: str
    title: str
    template: str
    entries: list[Any] = field(default_factory=list)
    empty_text: str = "暂无待办。"


InboxProvider = Callable[[Any, Any], InboxSection | None]

_PROVIDERS: list[InboxProvider] = []


def register_provider(provider: InboxProvider) -> InboxProvider:
    """Add a provider (usable as a decorator); registering twice keeps one entry."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def providers() -> list[InboxProvider]:
    return list(_PROVIDERS)


def build_inbox(user: Any, agency: Any) -> list[InboxSection]:
    sections = (provider(user, agency) for provider in _PROVIDERS)
    return [section for section in sections if section is not None]


@register_provider
def steps_to_decide(user: Any, agency: Any) -> InboxSection | None:
    if agency is None:
        return None
    # 主动公开 items have their own section (inbox_disclosure.py), opened on the item's page.
    steps = (
        selectors.steps_awaiting(user, agency)
        .exclude(forbid_self_approval=True, chain__submitted_by=user)
        .exclude(chain__purpose="disclosure_item")
    )
    return InboxSection(
        key="signoff-steps",
        title="待我审核",
        template="workspace/_inbox_steps.html",
        entries=list(steps),
        empty_text="没有等待您审核的稿件。",
    )


@register_provider
def my_returned_submissions(user: Any, agency: Any) -> InboxSection | None:
    if agency is None:
        return None
    return InboxSection(
        key="signoff-returned",
        title="被退回待修改",
        template="workspace/_inbox_returned.html",
        # a returned extension request is final (rejected): it has its own section below
        entries=list(
            selectors.returned_submissions(user, agency).exclude(purpose="extension_request")
        ),
        empty_text="没有被退回的送审稿件。",
    )


def _may_handle(user: Any, agency: Any) -> bool:
    """services.may_handle, remembered on the request's user object for the two
    依申请公开 sections (the inbox's query count must not grow with its sections)."""
    from gongkai.applications import services  # noqa: PLC0415

    memo = user.__dict__.setdefault("_inbox_may_handle", {})
    if agency.pk not in memo:
        memo[agency.pk] = services.may_handle(user, agency)
    return memo[agency.pk]


@register_provider
def application_deadlines(user: Any, agency: Any) -> InboxSection | None:
    """依申请公开: cases overdue or due within 5 working days, and 补正 limits running out."""
    from gongkai.applications import queues  # noqa: PLC0415  (keeps inbox import light)
    from gongkai.applications.models import Application  # noqa: PLC0415
    from gongkai.workspace.views.applications_forms import today  # noqa: PLC0415

    if agency is None or not _may_handle(user, agency):
        return None
    day = today()
    entries = list(
        queues.deadline_alerts(Application.objects.filter(agency=agency), today=day)[:50]
    )
    return InboxSection(
        key="application-deadlines",
        title="依申请公开：期限提醒",
        template="workspace/applications/_inbox.html",
        entries=[(app, day) for app in entries],
        empty_text="没有即将到期或已超期的申请。",
    )


@register_provider
def application_extensions(user: Any, agency: Any) -> InboxSection | None:
    """依申请公开: extension requests waiting for the office head, and recent refusals."""
    from gongkai.applications import queues  # noqa: PLC0415
    from gongkai.workspace.views.applications_forms import today  # noqa: PLC0415

    if agency is None or not _may_handle(user, agency):
        return None
    entries = list(queues.extension_requests(agency, today=today())[:50])
    if not entries:
        return None
    return InboxSection(
        key="application-extensions",
        title="依申请公开：延长答复期限审批",
        template="workspace/applications/_inbox_extensions.html",
        entries=entries,
    )
