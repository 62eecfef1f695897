"""Inbox sections of 主动公开: items to review (opened on the item's review page, with the diff
and the personal-data findings) and columns of the user's sections going stale."""

from __future__ import annotations

from typing import Any

from gongkai.agencies.models import Membership, Role
from gongkai.disclosure import freshness
from gongkai.signoff import selectors
from gongkai.signoff.models import Purpose
from gongkai.workspace.inbox import InboxSection, register_provider


@register_provider
def disclosure_items_to_review(user: Any, agency: Any) -> InboxSection | None:
    if agency is None:
        return None
    steps = (
        selectors.steps_awaiting(user, agency)
        .filter(chain__purpose=Purpose.DISCLOSURE_ITEM)
        .exclude(forbid_self_approval=True, chain__submitted_by=user)
    )
    return InboxSection(
        key="disclosure-review",
        title="主动公开信息待审核",
        template="workspace/_inbox_disclosure_review.html",
        entries=list(steps),
        empty_text="没有等待您审核的公开信息。",
    )


@register_provider
def disclosure_columns_going_stale(user: Any, agency: Any) -> InboxSection | None:
    if agency is None:
        return None
    memberships = list(
        Membership.objects.filter(user=user, agency=agency, active=True).values_list(
            "role", "section_id"
        )
    )
    if not memberships:
        return None
    is_admin = any(role == Role.AGENCY_ADMIN for role, _ in memberships)
    sections = {section for _, section in memberships if section is not None}
    (entry,) = freshness.report([agency])
    columns = [
        c
        for c in entry.columns
        if c.state in ("stale", "due_soon")
        and (c.owner_section_id in sections or (is_admin and c.owner_section_id is None))
    ]
    if not columns:
        return None
    return InboxSection(
        key="disclosure-columns",
        title="栏目更新提醒",
        template="workspace/_inbox_disclosure_columns.html",
        entries=columns,
        empty_text="",
    )
