"""Find an agency the way the CLI names it: exact name, short name or 统一社会信用代码."""

from __future__ import annotations

from django.db.models import Q

from gongkai.agencies.models import Agency
from gongkai.agencies.validators import normalize_code


class AgencyLookupError(ValueError):
    """No agency, or more than one; the message is one Chinese line."""


def find_agency(text: str) -> Agency:
    value = (text or "").strip()
    if not value or any(not ch.isprintable() for ch in value):
        raise AgencyLookupError("请用机关全称、简称或统一社会信用代码指定机关。")
    code = normalize_code(value)
    matches = list(
        Agency.objects.filter(Q(name=value) | Q(short_name=value) | Q(credit_code=code))
        .select_related("region")
        .order_by("pk")[:3]
    )
    if not matches:
        raise AgencyLookupError(f"没有找到机关「{value}」（可用全称、简称或统一社会信用代码）。")
    exact = [a for a in matches if a.name == value or (code and a.credit_code == code)]
    if len(exact) == 1:
        return exact[0]
    if len(matches) > 1:
        names = "、".join(f"{a.name}（{a.region.name}）" for a in matches)
        raise AgencyLookupError(f"「{value}」对应多个机关：{names}；请用全称或统一社会信用代码。")
    return matches[0]
