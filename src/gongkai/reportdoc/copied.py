"""Rule C1: text of sections 一、五、六 repeated word for word from last year's report.

A supervisor's commonest complaint about annual reports is that 「存在的主要问题及改进情况」 is last
year's paragraph with the year changed. Sentences are compared after folding away what a copier
changes anyway — whitespace, the years and the figures — so 「2023年共受理申请21件」 and
「2024年共受理申请35件」 are the same sentence. Short sentences (「无。」「详见附表。」) are
boilerplate every report shares and are not counted.

Pure: no Django, no I/O; the finding has the shape of :mod:`gongkai.law.findings`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from gongkai.law.findings import Finding, Severity

RULE = "C1"
MESSAGE = "与上年报告文字相同"
# The sections a clerk writes afresh every year; 二/三/四 are tables and their captions.
CHECKED_SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "一、总体情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
)
MIN_SENTENCE_CHARS = 15  # after folding: shorter sentences are formulas every report shares
_QUOTE_CHARS = 30

_SENTENCE_END_RE = re.compile(r"(?<=[。！？；!?;])|\n")
_SPACE_RE = re.compile(r"\s+")
# a year or a figure in any spelling a report uses: 2023、二〇二三、1,234.5、35%、第三
_FIGURE_RE = re.compile(
    r"[0-9][0-9,，.．%]*|[〇零一二三四五六七八九十百千万两]+(?=[年件个项次条%名家人万元])"
)


@dataclass(frozen=True)
class SectionCopy:
    """What of one section repeats last year's: the sentences as printed this year, and the
    share of the section's (folded) text they make up."""

    section: str
    title: str
    sentences: tuple[str, ...]
    share: float  # 0..1

    @property
    def percent(self) -> int:
        return round(self.share * 100)


def fold(sentence: str) -> str:
    """The comparable form of a sentence: NFKC, no whitespace, every year and figure ``#``."""
    text = unicodedata.normalize("NFKC", sentence)
    text = _SPACE_RE.sub("", text)
    return _FIGURE_RE.sub("#", text)


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END_RE.split(text or "") if part.strip()]


def copied_sections(current: dict[str, str], previous: dict[str, str]) -> list[SectionCopy]:
    """Per checked section of ``current``, the sentences found in last year's 一/五/六.

    Last year's three sections are pooled: a paragraph moved from 五 to 六 is still copied.
    """
    seen = {
        fold(s)
        for key, _ in CHECKED_SECTIONS
        for s in sentences(previous.get(key) or "")
        if len(fold(s)) >= MIN_SENTENCE_CHARS
    }
    if not seen:
        return []
    result = []
    for key, title in CHECKED_SECTIONS:
        own = sentences(current.get(key) or "")
        total = sum(len(fold(s)) for s in own)
        repeated = [s for s in own if len(fold(s)) >= MIN_SENTENCE_CHARS and fold(s) in seen]
        if repeated and total:
            share = sum(len(fold(s)) for s in repeated) / total
            result.append(SectionCopy(key, title, tuple(repeated), share))
    return result


def check_copied(current: dict[str, str], previous: dict[str, str]) -> list[Finding]:
    """One C1 warning per section with repeated sentences, naming the share and the first one."""
    findings = []
    for copy in copied_sections(current, previous):
        first = copy.sentences[0]
        quote = first if len(first) <= _QUOTE_CHARS else first[:_QUOTE_CHARS] + "……"
        findings.append(
            Finding(
                RULE,
                Severity.WARNING,
                f"{MESSAGE}：「{copy.title}」有 {len(copy.sentences)} 句与上年报告相同"
                f"（约占本部分文字的 {copy.percent}%），如“{quote}”",
                (f"sections.{copy.section}",),
            )
        )
    return findings
