"""Rich-text bodies are sanitised with nh3 (ammonia) on save: a fixed allow-list of tags.

Kept free of Django so the editor's output rules can be tested directly.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup",
        "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
        "table", "thead", "tbody", "tr", "th", "td", "a", "img", "hr",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "p": {"style"},
}
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLOCK_END_RE = re.compile(r"</(p|h[1-6]|li|tr|blockquote|div)>|<br\s*/?>|<hr\s*/?>", re.I)
_TAG_RE = re.compile(r"<[^>]+>")


def sanitize_html(raw: str) -> str:
    cleaned = _CONTROL_RE.sub("", raw or "")
    return nh3.clean(
        cleaned,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
    ).strip()


def html_to_text(body: str) -> str:
    """Readable plain text of a sanitised body: one line per block (for diff, scan, preview)."""
    text = _BLOCK_END_RE.sub("\n", body or "")
    text = html.unescape(_TAG_RE.sub("", text))
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
