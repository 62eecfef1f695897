"""Published items that may already answer an application (shown before the visitor submits).

A deliberately simple ORM query: the request text is cut into search terms (runs of Chinese
characters as overlapping two-character words, Latin words and numbers as they are, and the
文号 whole), items whose published title contains any term are fetched (newest first, a bounded
number), then ranked by how many distinct terms their title contains. The full-text search app
(``gongkai.search.query.matching_items``, same signature) replaces this at merge.
"""

from __future__ import annotations

import re

from django.db.models import Q

from gongkai.agencies.models import Agency
from gongkai.disclosure.models import Item
from gongkai.portal.selectors import public_items

MAX_TERMS = 24
CANDIDATES = 60
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_WORD = re.compile(r"[A-Za-z0-9]{2,}")
# words of the request form itself that would match everything
_STOP = frozenset(
    {"公开", "申请", "信息", "政府", "请求", "提供", "有关", "相关", "关于", "本局", "贵局", "情况"}
)


def terms(text: str) -> list[str]:
    """The distinct search terms of ``text``, in order of appearance, at most MAX_TERMS."""
    found: list[str] = []
    for run in _CJK_RUN.findall(text or ""):
        found.extend(run[i : i + 2] for i in range(len(run) - 1))
    found.extend(_WORD.findall(text or ""))
    out: list[str] = []
    for term in found:
        if term not in _STOP and term not in out:
            out.append(term)
    return out[:MAX_TERMS]


def matching_items(text: str, agency: Agency, limit: int = 5) -> list[Item]:
    words = terms(text)
    if not words:
        return []
    condition = Q()
    for word in words:
        condition |= Q(published_revision__title__icontains=word)
    candidates = list(
        public_items()
        .filter(agency=agency)
        .filter(condition)
        .select_related("published_revision")
        .order_by("-published_at", "-pk")[:CANDIDATES]
    )

    def score(item: Item) -> int:
        title = item.published_revision.title.lower()
        return sum(1 for word in words if word.lower() in title)

    ranked = sorted(candidates, key=lambda it: -score(it))  # stable: newest first among ties
    return ranked[:limit]
