"""Chinese word segmentation for the index and the query (jieba, initialised once, quietly).

Documents are cut with ``cut_for_search`` (precise words plus their dictionary sub-words, so
「城乡居民」 is also found as 「居民」); a query is cut in precise mode, so every query word is
one that the document side also produced for the same text. Terms are lower-cased and joined
with spaces: both SQLite's unicode61 tokenizer and PostgreSQL's ``simple`` configuration then
see exactly these words.
"""

from __future__ import annotations

import logging
import threading
import unicodedata

_lock = threading.Lock()
_ready = False

MAX_QUERY_TERMS = 12


def _jieba():
    global _ready  # noqa: PLW0603
    import jieba  # noqa: PLC0415  (loads its dictionary: only when search is used)

    if not _ready:
        with _lock:
            if not _ready:
                # The bundled dictionary only; no log lines, no cache file beside the code.
                jieba.setLogLevel(logging.WARNING)
                logging.getLogger("jieba").setLevel(logging.WARNING)
                jieba.initialize()
                _ready = True
    return jieba


def warm() -> None:
    """Load the dictionary now (about a second): the production server calls this as each
    worker starts, so no visitor's first search waits for it."""
    _jieba()


def _is_word(token: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def _clean(token: str) -> str:
    return "".join(ch for ch in token.lower() if unicodedata.category(ch)[0] in "LN")


def index_terms(text: str) -> str:
    """The document's words, space-separated, for the full-text index."""
    if not text:
        return ""
    words = (_clean(t) for t in _jieba().cut_for_search(text) if _is_word(t))
    return " ".join(w for w in words if w)


def query_terms(text: str) -> list[str]:
    """The distinct words of a query, in order (at most ``MAX_QUERY_TERMS``)."""
    seen: dict[str, None] = {}
    for token in _jieba().cut(text or ""):
        word = _clean(token)
        if word:
            seen.setdefault(word, None)
    return list(seen)[:MAX_QUERY_TERMS]


def highlight_words(text: str) -> list[str]:
    """What the snippet marks for a query: its words, longest first (so 信访工作 wins over 信访)."""
    return sorted(query_terms(text), key=len, reverse=True)
