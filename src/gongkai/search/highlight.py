"""Snippets with <mark>: the text is escaped piece by piece and only our own <mark> tags are
added between the pieces, so nothing the visitor typed or an item contains is ever trusted."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 120


def _pattern(words: list[str]) -> re.Pattern[str] | None:
    words = [w for w in sorted(set(words), key=len, reverse=True) if w]
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def mark(text: str, words: list[str]) -> SafeString:
    """``text`` escaped, with every occurrence of a word wrapped in <mark>."""
    pattern = _pattern(words)
    if pattern is None:
        return mark_safe(escape(text))  # noqa: S308  (escaped on this line)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308  (every piece escaped above)


def snippet(text: str, words: list[str], *, size: int = SNIPPET_CHARS) -> SafeString:
    """A window of about ``size`` characters around the first matched word, marked."""
    text = " ".join(text.split())
    pattern = _pattern(words)
    first = pattern.search(text) if pattern is not None else None
    start = 0 if first is None else max(0, first.start() - size // 4)
    window = text[start : start + size]
    body = mark(window, words)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + size < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308  (body escaped by mark)
