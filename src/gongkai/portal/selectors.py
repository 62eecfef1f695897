"""What the public may see: published revisions of items that are not withdrawn.

The public reads ``Item.published_revision`` (docs/disclosure.md), never the working copy, so a
published item being re-edited keeps showing its approved text.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongkai.agencies.models import Agency
from gongkai.disclosure.models import Attachment, Column, Item
from gongkai.disclosure.states import ItemStatus


def _pk(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Http404("没有找到。") from None


def public_items() -> QuerySet[Item]:
    return Item.objects.filter(published_revision__isnull=False).exclude(
        status=ItemStatus.WITHDRAWN
    )


def get_public_agency(pk: Any) -> Agency:
    agency = Agency.objects.filter(active=True, pk=_pk(pk)).select_related("region").first()
    if agency is None:
        raise Http404("没有找到该机关。")
    return agency


def get_public_column(agency: Agency, pk: Any) -> Column:
    column = Column.objects.filter(agency=agency, active=True, pk=_pk(pk)).first()
    if column is None:
        raise Http404("没有找到该栏目。")
    return column


def get_public_item(agency: Agency, pk: Any) -> Item:
    """A published item, or a withdrawn one that once was public (its page says 已撤回)."""
    item = (
        Item.objects.filter(agency=agency, pk=_pk(pk), published_revision__isnull=False)
        .select_related("column", "published_revision", "publisher", "signer")
        .first()
    )
    if item is None:
        raise Http404("没有找到该信息。")
    return item


def get_public_attachment(item: Item, pk: Any) -> Attachment:
    if item.status == ItemStatus.WITHDRAWN:
        raise Http404("该信息已撤回。")
    attachment = item.published_revision.attachments.filter(pk=_pk(pk)).first()
    if attachment is None:
        raise Http404("没有找到该附件。")
    return attachment


def published_page_item(column: Column) -> Item | None:
    """The item a single-page column (指南, 制度, 机构职能) shows: its newest public item."""
    return (
        public_items()
        .filter(column=column)
        .select_related("published_revision")
        .order_by("-published_at", "-pk")
        .first()
    )
