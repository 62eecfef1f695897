"""Inbox sections of 主动公开: items to review (opened on the item's review page, with the diff
and the personal-data findings) and columns of the user's sections going stale."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from gongkai.agencies.models import Membership, Role
from gongkai.disclosure import freshness
from gongkai.disclosure.models import Column
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
    """Columns of the user's sections (an admin: also unowned ones) stale or due soon; one query."""
    if agency is None or not user.is_authenticated:
        return None
    mine = Membership.objects.filter(user=user, agency=agency, active=True)
    rows = (
        Column.objects.filter(agency=agency, active=True, update_days__isnull=False)
        .exclude(kind="group")
        .filter(
            Q(owner_section__in=mine.exclude(section__isnull=True).values("section"))
            | Q(
                owner_section__isnull=True,
                agency__in=mine.filter(role=Role.AGENCY_ADMIN).values("agency"),
            )
        )
        .order_by("position", "pk")
        .values_list(
            "pk",
            "name",
            "kind",
            "update_days",
            "last_published_at",
            "no_content_statement",
            "owner_section_id",
        )
    )
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    columns = []
    for pk, name, kind, days, last, statement, section in rows:
        state = freshness.ColumnState(
            pk,
            name,
            kind,
            days,
            last.astimezone(tz).date() if last else None,
            bool(statement),
            section,
        )
        freshness.classify(state, today, freshness.DEFAULT_WARN_DAYS)
        if state.state in ("stale", "due_soon"):
            columns.append(state)
    if not columns:
        return None
    return InboxSection(
        key="disclosure-columns",
        title="栏目更新提醒",
        template="workspace/_inbox_disclosure_columns.html",
        entries=columns,
        empty_text="",
    )
