"""Read-side queries for the workspace: item lists, the reviewer's diff, the column tree."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from gongkai.disclosure.models import Column, Item, ItemKind, ItemRevision, Validity
from gongkai.disclosure.sanitize import html_to_text
from gongkai.signoff.models import StepDecision


def item_list(
    agency: Any,
    *,
    status: str = "",
    column: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    q: str = "",
) -> QuerySet[Item]:
    items = Item.objects.filter(agency=agency).select_related("column", "created_by")
    if status:
        items = items.filter(status=status)
    if column:
        items = items.filter(column_id=column)
    if date_from:
        items = items.filter(updated_at__date__gte=date_from)
    if date_to:
        items = items.filter(updated_at__date__lte=date_to)
    if q:
        items = items.filter(title__icontains=q)
    return items.order_by("-updated_at", "-pk")


def column_tree(agency: Any) -> list[tuple[Column, int]]:
    """Every column of the agency in tree order with its depth (one query)."""
    columns = list(
        Column.objects.filter(agency=agency).select_related("owner_section", "chain_template")
    )
    children: dict[int | None, list[Column]] = {}
    for column in columns:
        children.setdefault(column.parent_id, []).append(column)
    out: list[tuple[Column, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for column in sorted(children.get(parent, []), key=lambda c: (c.position, c.pk)):
            out.append((column, depth))
            walk(column.pk, depth + 1)

    walk(None, 0)
    return out


def revision_seen_by(item: Item, user: Any) -> ItemRevision | None:
    """The revision of ``item`` the user last decided on (any chain, any round)."""
    content_type = ContentType.objects.get_for_model(Item)
    decided = (
        StepDecision.objects.filter(
            step__chain__content_type=content_type, step__chain__object_id=item.pk, actor=user
        )
        .order_by("-at", "-pk")
        .values_list("revision_hash", flat=True)
        .first()
    )
    if decided is None:
        return None
    return item.revisions.filter(revision_hash=decided).order_by("-number").first()


@dataclass(frozen=True)
class DiffLine:
    kind: str  # same | added | removed
    text: str


META_LABELS = {
    "kind": "信息类型",
    "column": "栏目",
    "issuing_body": "发布机构",
    "doc_number": "文号",
    "written_date": "成文日期",
    "subject": "主题分类",
    "validity": "有效性",
    "effective_date": "施行日期",
    "validity_changed_on": "有效性变更日期",
    "interprets": "所解读的文件",
}


def _label(key: str, value: str) -> str:
    choices = {"kind": ItemKind, "validity": Validity}.get(key)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return value


def revision_lines(revision: ItemRevision | Item) -> list[str]:
    meta = revision.metadata if isinstance(revision, ItemRevision) else revision.metadata()
    lines = [f"标题：{revision.title}"]
    lines += [
        f"{META_LABELS[key]}：{_label(key, meta[key])}" for key in META_LABELS if meta.get(key)
    ]
    lines += html_to_text(revision.body).splitlines()
    if isinstance(revision, ItemRevision):
        lines += [f"附件：{a.original_name}（{a.sha256[:12]}）" for a in revision.attachments.all()]
    return lines


def diff(old: ItemRevision | None, new: ItemRevision) -> list[DiffLine]:
    """Line diff of two revisions (title, catalogue fields, body text, attachments)."""
    before = revision_lines(old) if old is not None else []
    after = revision_lines(new)
    out: list[DiffLine] = []
    for line in difflib.ndiff(before, after):
        tag, text = line[:2], line[2:]
        if tag == "  ":
            out.append(DiffLine("same", text))
        elif tag == "+ ":
            out.append(DiffLine("added", text))
        elif tag == "- ":
            out.append(DiffLine("removed", text))
    return out
