"""Report metadata from the text: title, agency, year, publication date, the six sections."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from gongkai.law.report_format import SECTION_KEYS, normalize_label
from gongkai.reportdoc.assemble import section_of_heading
from gongkai.reportdoc.extract import Extracted, Line

_TITLE_RE = re.compile(
    r"(?P<pre>[^。；;]*?)(?P<year>(?:19|20)\d{2})年度?(?P<post>[^。；;]*?)"
    r"(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报)"
)
_PERIOD_RE = re.compile(r"((?:19|20)\d{2})年1月1日(?:起)?至(?:(?:19|20)\d{2}年)?12月31日")
_DATE = r"((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?"
_LABELLED_DATE_RE = re.compile(r"(?:发布|公开|印发|成文)(?:日期|时间)\s*[:：]?\s*" + _DATE)
_DATE_LINE_RE = re.compile(r"^[(（]?" + _DATE + r"[)）]?$")
_MD_RE = re.compile(r"^[#>*\-\s]+")
_WS_RE = re.compile(r"\s+")
_AGENCY_TRIM = "：:，,、 （）()“”\"'《》<>【】[]·-—"
_TEMPLATE_NOTES = ("编写说明", "填报说明", "填写说明", "填表说明")
_TITLE_LINES = 12


@dataclass
class Meta:
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    sections: dict[str, str] = field(default_factory=dict)
    template_notes: list[Line] = field(default_factory=list)


def _plain(text: str) -> str:
    return _WS_RE.sub("", unicodedata.normalize("NFKC", _MD_RE.sub("", text)))


def read_title(lines: list[Line]) -> tuple[str | None, str | None, int | None]:
    """(title, agency, year) from the first lines, in order; a title may be broken over two.

    A line that names the agency itself wins over the same line glued to the one before it:
    on a web page that line may be a sidebar's last link (「公开指南」+「某市交通运输局2023年…
    报告」). Traditional characters are folded (「…年度報告」)."""
    # a title is short: a long line (prose, a whole page in one line) is looked at only at
    # its start, which also bounds the regex's backtracking
    head = [normalize_label(_MD_RE.sub("", line.text[:300])) for line in lines[:_TITLE_LINES]]
    found = [_title_in(text) for text in head]
    fallback = None
    for i, alone in enumerate(found):
        if alone and alone[1]:
            return alone
        fallback = fallback or alone
        if i + 1 < len(head) and not (found[i + 1] and found[i + 1][1]):
            pair = _title_in(head[i] + head[i + 1])
            if pair and pair[1]:
                return pair
            fallback = fallback or pair
    return fallback or (None, None, None)


def _title_in(text: str) -> tuple[str, str | None, int] | None:
    match = _TITLE_RE.search(text)
    if not match or len(match.group(0)) > 60:
        return None
    agency = (match.group("pre") or match.group("post")).strip(_AGENCY_TRIM)
    agency = re.sub(r"^(?:关于)?(?:印发|公布|发布)?|(?:关于|的)$", "", agency) or None
    return match.group(0), agency, int(match.group("year"))


def read_period_year(lines: list[Line]) -> int | None:
    for line in lines[:60]:
        match = _PERIOD_RE.search(_plain(line.text))
        if match:
            return int(match.group(1))
    return None


def _iso(match: re.Match[str]) -> str | None:
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
    except ValueError:
        return None


def read_published(ex: Extracted, text: str | None = None) -> str | None:
    """A stated 发布日期 first, then the container's date, then a date line closing the text
    (the signature date), then a date line just under the title. ``text``: ``ex.text``."""
    flat = _WS_RE.sub("", unicodedata.normalize("NFKC", ex.text if text is None else text))
    # a line's match is a match in the whole text: one search spares most documents the loop
    for line in ex.lines if _LABELLED_DATE_RE.search(flat) else ():
        match = _LABELLED_DATE_RE.search(_plain(line.text))
        if match and (found := _iso(match)):
            return found
    if ex.published:
        return ex.published
    for line in [*reversed(ex.lines[-6:]), *ex.lines[:8]]:
        match = _DATE_LINE_RE.match(_plain(line.text))
        if match and (found := _iso(match)):
            return found
    return None


def read_sections(lines: list[Line]) -> dict[str, str]:
    """Section key → text, starting at the first heading of each of the six sections."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        text = line.text.strip()
        if len(text) <= 60:
            index = section_of_heading(normalize_label(_MD_RE.sub("", text)))
            if index is not None and SECTION_KEYS[index] not in sections:
                current = SECTION_KEYS[index]
                sections[current] = []
                continue
        if current is not None:
            sections[current].append(text)
    return {key: "\n".join(body).strip() for key, body in sections.items()}


def read_meta(ex: Extracted) -> Meta:
    title, agency, year = read_title(ex.lines)
    if year is None:
        year = read_period_year(ex.lines)
    text = ex.text
    notes = [
        line
        for line in (ex.lines if any(n in text for n in _TEMPLATE_NOTES) else ())
        if any(n in line.text for n in _TEMPLATE_NOTES)
    ]
    return Meta(
        title=title,
        agency=agency,
        year=year,
        published=read_published(ex, text),
        sections=read_sections(ex.lines),
        template_notes=notes,
    )
