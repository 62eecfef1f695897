"""The one search function (portal page, application form) over either backend.

``search`` segments the query with jieba, asks the backend for one page of item pks (filters
inside the full-text index) and loads those items with their index rows in two queries; the
result keeps the backend's order. ``matching_items`` is the short form the online application
form uses to show what is already public before a visitor applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from gongkai.agencies.models import Agency
from gongkai.disclosure.models import Item
from gongkai.disclosure.states import ItemStatus
from gongkai.search import backends
from gongkai.search.backends import Filters, get_backend
from gongkai.search.highlight import mark, snippet
from gongkai.search.models import SearchEntry
from gongkai.search.segment import highlight_words, query_terms

MAX_QUERY_CHARS = 100
MAX_PAGE = 500


class QueryError(ValueError):
    """A query that cannot be run; the message is shown to the visitor."""


@dataclass(frozen=True)
class Result:
    item: Item
    entry: SearchEntry
    title: SafeString
    snippet: SafeString


@dataclass(frozen=True)
class Results:
    query: str
    words: list[str]
    total: int
    page: int
    per_page: int
    results: list[Result] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        return self.total > backends.COUNT_CAP

    @property
    def shown_total(self) -> int:
        return min(self.total, backends.COUNT_CAP)

    @property
    def num_pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.shown_total // self.per_page)))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def clean_query(text: str) -> tuple[str, list[str]]:
    text = " ".join((text or "").split())
    if not text:
        raise QueryError("请输入要检索的词语。")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"检索词太长了，请不要超过 {MAX_QUERY_CHARS} 个字。")
    if any(not ch.isprintable() for ch in text):
        raise QueryError("检索词不能包含控制字符。")
    words = query_terms(text)
    if not words:
        raise QueryError("检索词里没有可以检索的文字，请换一个词语。")
    return text, words


def _inactive_agencies() -> tuple[int, ...]:
    return tuple(Agency.objects.filter(active=False).values_list("pk", flat=True))


def search(
    text: str, *, filters: Filters | None = None, page: int = 1, per_page: int = 10
) -> Results:
    """One page of public items matching ``text``; raises :class:`QueryError` on bad input."""
    text, words = clean_query(text)
    page = max(1, min(int(page), MAX_PAGE))
    base = filters or Filters()
    filters = Filters(
        agency=base.agency,
        column=base.column,
        year=base.year,
        subject=base.subject,
        validity=base.validity,
        exclude_agencies=_inactive_agencies(),
    )
    hits = get_backend().search(words, filters, (page - 1) * per_page, per_page)
    marked = highlight_words(text)
    return Results(
        query=text,
        words=words,
        total=hits.total,
        page=page,
        per_page=per_page,
        results=_load(hits.ids, marked),
    )


def _load(ids: list[int], words: list[str]) -> list[Result]:
    if not ids:
        return []
    items = {
        i.pk: i
        for i in Item.objects.filter(pk__in=ids, published_revision__isnull=False)
        .exclude(status=ItemStatus.WITHDRAWN)
        .select_related("agency", "column")
    }
    entries = SearchEntry.objects.in_bulk(list(items))
    return [
        Result(
            item=items[pk],
            entry=entries[pk],
            title=mark(entries[pk].title, words),
            snippet=snippet(entries[pk].text, words),
        )
        for pk in ids
        if pk in items and pk in entries
    ]


# Words of how people phrase a request, not of what they ask for.
REQUEST_WORDS = frozenset(
    [
        "申请",
        "公开",
        "政府",
        "信息",
        "文件",
        "有关",
        "相关",
        "关于",
        "我们",
        "本人",
        "需要",
        "希望",
        "要求",
        "提供",
        "内容",
        "情况",
        "本市",
        "本县",
        "请求",
        "查询",
        "获取",
        "复印件",
    ]
)


def matching_items(text: str, agency: Agency | None, limit: int = 5) -> list[Item]:
    """Published items matching free text (e.g. an application's 所需信息描述), best first.

    Any word may match (an item matching more of them ranks higher); single characters and
    the words of a request's phrasing (申请、公开…) are left out. Text with nothing to search
    gives ``[]``. Items come with ``agency``, ``column`` and ``published_revision`` loaded."""
    words = [
        w
        for w in query_terms((text or "")[: MAX_QUERY_CHARS * 2])
        if len(w) > 1 and w not in REQUEST_WORDS
    ]
    if not words:
        return []
    filters = Filters(
        agency=agency.pk if agency is not None else None, exclude_agencies=_inactive_agencies()
    )
    hits = get_backend().search(words, filters, 0, limit, any_word=True)
    found = {
        i.pk: i
        for i in Item.objects.filter(pk__in=hits.ids, published_revision__isnull=False)
        .exclude(status=ItemStatus.WITHDRAWN)
        .select_related("agency", "column", "published_revision")
    }
    return [found[pk] for pk in hits.ids if pk in found]
