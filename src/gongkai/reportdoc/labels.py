"""Which row or column of tables 二/三/四 a piece of label text names.

Labels arrive normalised by :func:`gongkai.law.report_format.normalize_label` and are matched
in three steps, cheapest first: a distinctive substring (「国家秘密」, 「三安全」, 「执法案卷」…),
then an ordinal inside a known group (「3.」 under （六） is 其他), then — only for label-sized
text that matched nothing — a similarity ratio against the official labels, accepted only
when one row clearly wins. Anything else is *unknown*, never a guess: a generic word such as
「其他」 names a table-三 column, the table-四 cell 「其他结果」 and the row 「3.其他」 alike.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from gongkai.law.report_format import FORMAT_2021, normalize_label

AMBIGUOUS = "?"

# ---------------------------------------------------------------------------------------------
# Section headings by meaning

# The six headings as agencies really word them: the section's ordinal plus its key words, and
# a heading-like ending. Each wording met in real reports has a test
# (tests/reportdoc/test_meta.py::test_section_headings_worded_differently).
SECTION_ORDINALS = "一二三四五六"
SECTION_MEANINGS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("总体",), ("概述",), ("概况",), ("基本情况",)),  # 一、总体情况 / 概述 / 工作概况
    (("主动公开",),),  # 二、主动公开政府信息情况 / 主动公开情况
    (("申请",),),  # 三、收到和处理政府信息公开申请情况 / 依申请公开情况
    (("复议",), ("诉讼",)),  # 四、…行政复议、行政诉讼情况
    (("问题",), ("不足",)),  # 五、存在的主要问题及改进情况 / 不足及改进措施 / …下一步打算
    (("其他",), ("其它",)),  # 六、其他需要报告的事项 / 其他需要说明的事项 / 其他事项
)
SECTION_HEADING_ENDS = (
    "情况",
    "事项",
    "措施",
    "方向",
    "打算",
    "计划",
    "举措",
    "思路",
    "问题",
    "不足",
    "概述",
    "概况",
)
_SECTION_ORDINAL_RE = re.compile(r"^(?:第([一二三四五六])部分|([一二三四五六])[、.．,，])")
_SECTION_CORE_MAX = 24


def section_by_meaning(text: str) -> int | None:
    """Index (0–5) of the section a normalised heading names by its ordinal and key words
    (「五、存在问题及下一步工作打算」), else ``None``. The ordinal must be the section's own,
    and the heading must end like one: table 三's 「四、结转下年度继续办理」 or a list item
    「四、推进行政复议案件办理」 is no heading."""
    match = _SECTION_ORDINAL_RE.match(text)
    if match is None:
        return None
    index = SECTION_ORDINALS.index(match.group(1) or match.group(2))
    core = text[match.end() :].strip(":：")
    if not core or len(core) > _SECTION_CORE_MAX or not core.endswith(SECTION_HEADING_ENDS):
        return None
    if any(all(word in core for word in words) for words in SECTION_MEANINGS[index]):
        return index
    return None


COLLAPSED_OTHER = "other_collapsed"  # （六）其他处理 printed as one row (60号 style)

# ---------------------------------------------------------------------------------------------
# Table 三 rows

# Distinctive substrings of each row label, after normalize_label. Chosen so that no keyword
# of one row occurs inside the official label of another (a test checks this).
T3_KEYWORDS: dict[str, tuple[str, ...]] = {
    "new_received": ("本年新收",),
    "carried_over": ("上年结转",),
    "granted": ("予以公开",),
    "partially_granted": ("部分公开", "区分处理"),
    "denied_state_secret": ("国家秘密",),
    "denied_prohibited_by_law": ("禁止公开", "法律行政法规", "其他法律行政"),
    "denied_three_safeties": ("三安全", "一稳定"),
    "denied_third_party_rights": ("第三方",),
    "denied_internal_affairs": ("内部事务",),
    "denied_process_information": ("过程性",),
    "denied_enforcement_files": ("执法案卷",),
    "denied_administrative_query": ("行政查询",),
    "unable_not_held": ("不掌握",),
    "unable_requires_creation": ("另行制作", "没有现成"),
    "unable_still_unclear": ("仍不明确", "补正后申请内容"),
    "not_processed_petition_complaint": ("信访举报", "举报投诉"),
    "not_processed_repeated": ("重复申请",),
    "not_processed_publication": ("出版物",),
    "not_processed_excessive": ("大量反复",),
    "not_processed_confirmation": ("确认或重新出具", "重新出具"),
    "other_no_correction": ("逾期不补正", "不补正"),
    "other_unpaid_fee": ("缴纳费用", "收费通知", "逾期未按"),
    "carried_forward": ("结转下年", "结转下一年"),
}

T3_ORDER: tuple[str, ...] = FORMAT_2021.table3_row_keys

# Rows of each group in printed order, for a bare ordinal such as 「3.」.
GROUP_ROWS: dict[str, tuple[str, ...]] = {
    group: tuple(r.key for r in FORMAT_2021.table3_rows if r.group == group)
    for group in ("denied", "unable", "not_processed", "other")
}

_GROUP_BY_ORDINAL = {"三": "denied", "四": "unable", "五": "not_processed", "六": "other"}
_GROUP_WORDS = (
    ("不予公开", "denied"),
    ("无法提供", "unable"),
    ("不予处理", "not_processed"),
    ("其他处理", "other"),
    ("本年度办理结果", "outcome"),
)

_ORDINAL_RE = re.compile(
    r"^(?:(?P<cn>[一二三四五六七八九十]{1,2})\.|\((?P<paren>[一二三四五六七八九十]{1,2})\)"
    r"|(?P<num>\d{1,2})\.(?!\d)|\((?P<pnum>\d{1,2})\))"
)
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_GROUP_ORDINAL_RE = re.compile(r"^\((三|四|五|六)\)")
_OTHER_ROW_RE = re.compile(r"(?:^|3\.)其他$")
_COLLAPSED_RE = re.compile(r"\(六\)其他(?:处理)?$|^其他处理$")

_OFFICIAL: dict[str, str] = {
    r.key: normalize_label(r.label) for r in FORMAT_2021.table3_rows if r.key in T3_KEYWORDS
}


def strip_ordinals(text: str) -> str:
    """Drop leading list ordinals: 「三.(一)予以公开」 → 「予以公开」."""
    previous = None
    while previous != text:
        previous = text
        text = _ORDINAL_RE.sub("", text, count=1)
    return text


def leading_ordinal(text: str) -> str | None:
    """The innermost leading ordinal as printed (「3」 for 「3.其他」, 「三」 for 「（三）…」)."""
    found = None
    rest = text
    while True:
        match = _ORDINAL_RE.match(rest)
        if not match:
            return found
        found = next(v for v in match.groupdict().values() if v)
        rest = rest[match.end() :]


def group_of(text: str) -> str | None:
    """The table-三 group a label names (（三）不予公开 → ``denied``), if any."""
    for word, group in _GROUP_WORDS:
        if word in text and not (word == "不予公开" and "部分" in text):
            return group
    match = _GROUP_ORDINAL_RE.match(text)
    if match:
        return _GROUP_BY_ORDINAL[match.group(1)]
    return None


_KEYWORD_OF = {word: key for key, words in T3_KEYWORDS.items() for word in words}
_KEYWORD_RE = re.compile("|".join(re.escape(w) for w in sorted(_KEYWORD_OF, key=len, reverse=True)))


def keyword_hits(text: str) -> set[str]:
    # keywords of different rows never overlap inside a real label; overlapping matches of
    # one row's own keywords (「逾期不补正」/「不补正」) name the same key anyway
    return {_KEYWORD_OF[m.group(0)] for m in _KEYWORD_RE.finditer(text)}


def match_t3_row(text: str, group: str | None = None) -> str | None:
    """Canonical key of the table-三 row a label names; ``AMBIGUOUS`` or ``None`` otherwise.

    ``group`` is the group heading seen last (for 「3.其他」 and bare ordinals).
    """
    hits = keyword_hits(text)
    if len(hits) == 1:
        return hits.pop()
    if len(hits) > 1:
        return AMBIGUOUS  # two labels glued together: the values cannot be told apart
    core = strip_ordinals(text)
    if text.endswith(("(七)总计", "(七)合计")) or core in ("总计", "合计"):
        return "total_processed"
    if _OTHER_ROW_RE.search(text) and (text.endswith("3.其他") or group == "other"):
        return "other_other"
    if _COLLAPSED_RE.search(text):
        return COLLAPSED_OTHER
    ordinal = leading_ordinal(text)
    if ordinal and ordinal.isdigit() and len(_CJK_RE.findall(core)) <= 1 and group in GROUP_ROWS:
        rows = GROUP_ROWS[group]
        index = int(ordinal) - 1
        return rows[index] if 0 <= index < len(rows) else None
    return fuzzy_t3_row(text)


def _cjk(text: str) -> str:
    return "".join(_CJK_RE.findall(text))


# the CJK letters of each row's official label and its accepted variants
_STANDARD: dict[str, tuple[str, ...]] = {
    key: tuple(
        _cjk(normalize_label(label)) for label in (official, *FORMAT_2021.table3_row(key).variants)
    )
    for key, official in _OFFICIAL.items()
}


def is_standard_label(key: str, text: str) -> bool:
    """Whether ``text`` prints the official label of row ``key`` (punctuation aside)."""
    labels = _STANDARD.get(key)
    if labels is None:
        return True
    letters = _cjk(text)
    return any(label in letters for label in labels)


@lru_cache(maxsize=4096)
def fuzzy_t3_row(text: str) -> str | None:
    """OCR-damaged label → row, when one official label is clearly the closest."""
    core = strip_ordinals(text)
    cjk = _CJK_RE.findall(core)
    if len(cjk) < 5 or len(core) > 45 or group_of(text):
        return None  # short text and group headings (（三）不予公开) are never a leaf row
    chars = set(cjk)
    scored: list[tuple[float, str]] = []
    for key, label in _OFFICIAL.items():
        label_chars = set(label)
        # cheap pre-filter before the quadratic ratio
        if len(chars & label_chars) < 0.5 * min(len(label_chars), len(chars)):
            continue
        ratio = SequenceMatcher(None, core, label, autojunk=False).ratio()
        scored.append((ratio, key))
    if not scored:
        return None
    scored.sort(reverse=True)
    best, key = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best < 0.7 or best - runner_up < 0.15:
        return None
    ordinal = leading_ordinal(text)
    official = FORMAT_2021.table3_row(key).ordinal
    if ordinal and ordinal.isdigit() and official[:1].isdigit() and ordinal != official[:-1]:
        return None
    return key


# ---------------------------------------------------------------------------------------------
# Column headers and other vocabularies

Vocabulary = tuple[tuple[str, str], ...]

T3_COLUMNS: Vocabulary = (
    ("自然人", "natural_person"),
    ("商业企业", "commercial"),
    ("科研机构", "research"),
    ("社会公益组织", "social_welfare"),
    ("法律服务机构", "legal_services"),
    ("其他", "other_org"),
    ("总计", "total"),
    ("合计", "total"),
)

# (label, column key, format it is evidence for or "")
T2_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("本年新制发件数", "issued", "2021"),
    ("本年制发件数", "issued", "2021"),
    ("本年废止件数", "repealed", "2021"),
    ("现行有效件数", "in_force", "2021"),
    ("本年处理决定数量", "decisions", "2021"),
    ("本年收费金额", "amount_wan_yuan", "2021"),
    ("本年新制作数量", "made", "2019"),
    ("本年新公开数量", "published", "2019"),
    ("对外公开总数量", "total_published", "2019"),
    ("上一年项目数量", "previous_items", "2019"),
    ("本年增/减", "change", "2019"),
    ("本年增减", "change", "2019"),
    ("处理决定数量", "decisions", ""),
    ("采购项目数量", "items", "2019"),
    ("采购总金额", "amount_wan_yuan", "2019"),
)

T2_ITEMS: Vocabulary = (
    ("其他对外管理服务事项", "other_services"),
    ("对外管理服务事项", "other_services"),
    ("行政规范性文件", "normative_documents"),
    ("规范性文件", "normative_documents"),
    ("规章", "regulations"),
    ("行政许可", "licensing"),
    ("行政处罚", "penalty"),
    ("行政强制", "coercion"),
    ("行政事业性收费", "fees"),
    ("政府集中采购", "procurement"),
)

T4_CELLS: Vocabulary = (
    ("结果维持", "upheld"),
    ("结果纠正", "corrected"),
    ("其他结果", "other"),
    ("尚未审结", "pending"),
    ("总计", "total"),
    ("合计", "total"),
)

T4_BLOCKS: Vocabulary = (
    ("未经复议直接起诉", "litigation_direct"),
    ("直接起诉", "litigation_direct"),
    ("复议后起诉", "litigation_after_reconsideration"),
    ("行政复议", "reconsideration"),
)


@lru_cache(maxsize=32)
def _vocabulary_re(vocabulary: Vocabulary) -> tuple[re.Pattern[str], dict[str, str]]:
    # longest labels first: the alternation then prefers 「本年处理决定数量」 over 「处理决定数量」
    ordered = sorted({label for label, _ in vocabulary}, key=lambda label: -len(label))
    keys = dict(vocabulary)
    return re.compile("|".join(re.escape(label) for label in ordered)), keys


def find_labels(text: str, vocabulary: Vocabulary) -> list[str]:
    """Keys of the vocabulary labels found in ``text``, in order of appearance, without
    overlaps; at any position the longest label wins."""
    pattern, keys = _vocabulary_re(vocabulary)
    return [keys[m.group(0)] for m in pattern.finditer(text)]


def t3_header_columns(text: str) -> list[str]:
    return find_labels(text.replace("法人或其他组织", "\0"), T3_COLUMNS)


_T2_VOCAB: Vocabulary = tuple((label, f"{key}|{fmt}") for label, key, fmt in T2_COLUMNS)


# every table-二 column label holds one of these (a test checks it): most lines hold none
_T2_MARKS = ("数", "金额", "增")


def t2_header(text: str) -> tuple[list[str], dict[str, int]]:
    """Column keys of a table-二 header line and how strongly it points at each format."""
    if not any(mark in text for mark in _T2_MARKS):
        return [], {"2021": 0, "2019": 0}
    hits = find_labels(text, _T2_VOCAB)
    keys = [h.split("|")[0] for h in hits]
    evidence = {"2021": 0, "2019": 0}
    for hit in hits:
        fmt = hit.split("|")[1]
        if fmt:
            evidence[fmt] += 1
    return keys, evidence


def match_t2_item(text: str) -> str | None:
    """A table-二 row label: short text holding exactly one item name."""
    core = strip_ordinals(text)
    keys = set(find_labels(core, T2_ITEMS))
    if len(keys) != 1:
        return None
    key = keys.pop()
    longest = max(len(label) for label, k in T2_ITEMS if k == key)
    return key if len(core) <= longest + 6 else None


def t4_blocks(text: str) -> list[str]:
    return find_labels(text, T4_BLOCKS)


def t4_cells(text: str) -> list[str]:
    return find_labels(text, T4_CELLS)
