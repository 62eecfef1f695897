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
# nh3 writes every attribute as name="value" with the quotes inside values escaped, so the
# attributes of its output can be read one by one with a regular expression.
_IMG_RE = re.compile(r'<img((?:\s+[a-zA-Z-]+="[^"]*")*)\s*/?>')
_ATTR_NAME_RE = re.compile(r'\s([a-zA-Z-]+)="[^"]*"')


def _with_alt(match: re.Match[str]) -> str:
    if "alt" in _ATTR_NAME_RE.findall(match.group(1)):
        return match.group(0)
    return '<img alt=""' + match.group(0)[len("<img") :]


def sanitize_html(raw: str) -> str:
    """The allow-listed HTML of a body. An image pasted without a text alternative gets an
    empty one: screen readers then skip it instead of reading its file name, and the public page
    keeps passing axe's image-alt rule; an author who wants it described writes the alt text."""
    cleaned = _CONTROL_RE.sub("", raw or "")
    out = nh3.clean(
        cleaned,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
    ).strip()
    return _IMG_RE.sub(_with_alt, out)


def html_to_text(body: str) -> str:
    """Readable plain text of a sanitised body: one line per block (for diff, scan, preview)."""
    text = _BLOCK_END_RE.sub("\n", body or "")
    text = html.unescape(_TAG_RE.sub("", text))
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
