"""Naming an agency or a region on the command line (DESIGN.md: AGENCY is the exact name, the
short name or the 统一社会信用代码)."""

from __future__ import annotations

from django.db.models import Q

from gongkai.agencies.models import Agency, Region
from gongkai.agencies.validators import normalize_code


class NotFoundError(ValueError):
    """The name matches nothing, or more than one; the message is Chinese."""


def resolve_agency(text: str) -> Agency:
    name = (text or "").strip()
    if not name:
        raise NotFoundError("请指定机关（全称、简称或统一社会信用代码）。")
    matches = list(
        Agency.objects.filter(
            Q(name=name) | Q(short_name=name) | Q(credit_code=normalize_code(name))
        ).select_related("region")[:3]
    )
    exact = [a for a in matches if a.name == name]
    if len(exact) == 1:
        return exact[0]
    if not matches:
        raise NotFoundError(f"没有找到机关「{name}」（可用全称、简称或统一社会信用代码）。")
    if len(matches) > 1:
        names = "、".join(a.name for a in matches)
        raise NotFoundError(f"「{name}」对应多个机关（{names}），请使用全称或统一社会信用代码。")
    return matches[0]


def resolve_region(text: str) -> Region:
    name = (text or "").strip()
    if not name:
        raise NotFoundError("请指定地区（名称或行政区划代码）。")
    matches = list(Region.objects.filter(Q(name=name) | Q(division_code=name))[:3])
    if not matches:
        raise NotFoundError(f"没有找到地区「{name}」（可用名称或行政区划代码）。")
    if len(matches) > 1:
        raise NotFoundError(f"「{name}」对应多个地区，请使用行政区划代码。")
    return matches[0]
