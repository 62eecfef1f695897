"""Keeping the index equal to what the public sees.

``refresh_item`` is called inside the transaction that changed the item (the
``public_changed`` receiver), so the index commits or rolls back with the change. Text of
attachments comes from ``AttachmentText`` rows; an attachment not extracted yet is queued for
the background task after commit, which extracts it and refreshes the item again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.disclosure.models import Item
from gongkai.disclosure.sanitize import html_to_text
from gongkai.disclosure.states import ItemStatus
from gongkai.search.backends import facet_terms, get_backend
from gongkai.search.models import SNIPPET_SOURCE_MAX, AttachmentText, SearchEntry
from gongkai.search.segment import index_terms


def _is_public(item: Item) -> bool:
    return item.published_revision_id is not None and item.status != ItemStatus.WITHDRAWN


def refresh_item(item: Item) -> SearchEntry | None:
    """Index the item's published revision, or drop it from the index if it is not public."""
    if not _is_public(item):
        remove_item(item.pk)
        return None
    revision = item.published_revision
    attachments = list(revision.attachments.all())
    texts = dict(
        AttachmentText.objects.filter(attachment__in=attachments).values_list(
            "attachment_id", "text"
        )
    )
    missing = [a.pk for a in attachments if a.pk not in texts]
    if missing:
        from gongkai.search.tasks import extract_attachments  # noqa: PLC0415

        transaction.on_commit(lambda: extract_attachments.enqueue(item.pk, missing))
    entry = build_entry(item, attachment_texts=[texts[a.pk] for a in attachments if a.pk in texts])
    entry.save()
    write_document(entry)
    return entry


def build_entry(item: Item, *, attachment_texts: Iterable[str] = ()) -> SearchEntry:
    revision = item.published_revision
    meta = revision.metadata or {}
    body = html_to_text(revision.body or "")
    # 发布机构 defaults to the agency's own name: indexed only when it says something else,
    # or every item of 示范市信访局 would match 「信访」 (the agency filter covers that).
    issuer = meta.get("issuing_body") or ""
    if issuer == item.agency.name:
        issuer = ""
    catalogue = " ".join(v for v in (item.index_number, issuer, meta.get("doc_number")) if v)
    extra = "\n".join(t for t in attachment_texts if t)
    published = timezone.localtime(item.published_at or timezone.now())
    return SearchEntry(
        item_id=item.pk,
        agency_id=item.agency_id,
        column_id=item.column_id,
        year=published.year,
        subject=meta.get("subject", "") or "",
        validity=meta.get("validity", "") or "",
        published_at=item.published_at or published,
        title=revision.title,
        text="\n".join(t for t in (body, extra) if t)[:SNIPPET_SOURCE_MAX],
        title_terms=index_terms(revision.title),
        body_terms=index_terms("\n".join(t for t in (catalogue, body, extra) if t)),
        indexed_at=timezone.now(),
    )


def write_document(entry: SearchEntry) -> None:
    get_backend().write(
        entry.item_id,
        entry.title_terms,
        entry.body_terms,
        facet_terms(entry.agency_id, entry.column_id, entry.year, entry.subject, entry.validity),
    )


def remove_item(item_id: int) -> None:
    get_backend().delete(item_id)
    SearchEntry.objects.filter(item_id=item_id).delete()


def public_items() -> Any:
    return Item.objects.filter(published_revision__isnull=False).exclude(
        status=ItemStatus.WITHDRAWN
    )


def reindex(*, agency: Any = None, batch: int = 500) -> int:
    """Rebuild the index (of one agency, or all); returns the number of items indexed."""
    items = public_items().select_related("published_revision").order_by("pk")
    stale = SearchEntry.objects.all()
    if agency is not None:
        items = items.filter(agency=agency)
        stale = stale.filter(agency=agency)
    count = 0
    with transaction.atomic():
        backend = get_backend()
        if agency is None:
            backend.clear()
        for item_id in stale.exclude(item__in=items).values_list("item_id", flat=True):
            remove_item(item_id)
        for item in items.iterator(batch):
            refresh_item(item)
            count += 1
    return count
