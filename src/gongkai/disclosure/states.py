"""Item states and the explicit transition table (先审后发 by construction).

``status`` describes the working copy. The public sees ``Item.published_revision`` (if any and
not withdrawn), so editing a published item sends the working copy back to ``draft`` while the
public keeps the approved text until a new revision passes review and is published.
"""

from __future__ import annotations

from django.db import models


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审核中"
    APPROVED = "approved", "已审核待发布"
    SCHEDULED = "scheduled", "定时发布"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤稿"


TRANSITIONS: dict[str, frozenset[str]] = {
    ItemStatus.DRAFT: frozenset({ItemStatus.IN_REVIEW, ItemStatus.WITHDRAWN}),
    # back to draft: returned by a reviewer, or the drafter pulled the chain back
    ItemStatus.IN_REVIEW: frozenset({ItemStatus.APPROVED, ItemStatus.DRAFT}),
    ItemStatus.APPROVED: frozenset(
        {ItemStatus.PUBLISHED, ItemStatus.SCHEDULED, ItemStatus.DRAFT, ItemStatus.WITHDRAWN}
    ),
    ItemStatus.SCHEDULED: frozenset(
        {ItemStatus.PUBLISHED, ItemStatus.APPROVED, ItemStatus.DRAFT, ItemStatus.WITHDRAWN}
    ),
    ItemStatus.PUBLISHED: frozenset({ItemStatus.DRAFT, ItemStatus.WITHDRAWN}),
    ItemStatus.WITHDRAWN: frozenset(),
}

EDITABLE_STATES = frozenset(
    {ItemStatus.DRAFT, ItemStatus.APPROVED, ItemStatus.SCHEDULED, ItemStatus.PUBLISHED}
)


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS[ItemStatus(current)]
