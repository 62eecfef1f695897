"""Who may see which items and columns: the agency's members and its supervisors (read-only).

Other agencies' items do not exist for the user (404), like every other aggregate.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongkai.agencies.access import agencies_visible_to, has_role
from gongkai.agencies.models import Role
from gongkai.disclosure.models import Attachment, Column, Item, PiiFinding


def items_visible_to(user: Any) -> QuerySet[Item]:
    return Item.objects.filter(agency__in=agencies_visible_to(user))


def _pk(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Http404("没有找到该信息。") from None


def get_item_for_user(user: Any, pk: Any) -> Item:
    item = (
        items_visible_to(user)
        .select_related("agency", "column", "created_by", "current_revision")
        .filter(pk=_pk(pk))
        .first()
    )
    if item is None:
        raise Http404("没有找到该信息。")
    return item


def get_column_for_user(user: Any, pk: Any) -> Column:
    column = (
        Column.objects.filter(agency__in=agencies_visible_to(user), pk=_pk(pk))
        .select_related("agency", "parent", "owner_section", "chain_template")
        .first()
    )
    if column is None:
        raise Http404("没有找到该栏目。")
    return column


def get_attachment_for_user(user: Any, pk: Any) -> Attachment:
    attachment = (
        Attachment.objects.filter(item__agency__in=agencies_visible_to(user), pk=_pk(pk))
        .select_related("item", "item__agency")
        .first()
    )
    if attachment is None:
        raise Http404("没有找到该附件。")
    return attachment


def get_finding_for_user(user: Any, pk: Any) -> PiiFinding:
    finding = (
        PiiFinding.objects.filter(item__agency__in=agencies_visible_to(user), pk=_pk(pk))
        .select_related("item", "item__agency")
        .first()
    )
    if finding is None:
        raise Http404("没有找到该检查结果。")
    return finding


def is_agency_admin(user: Any, agency: Any) -> bool:
    return bool(user.is_superuser or has_role(user, agency, Role.AGENCY_ADMIN))
