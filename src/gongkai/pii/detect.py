"""Find personal data in text: resident ID numbers, mainland mobiles, bank cards, word lists.

One compiled regular expression finds every *candidate* in a single pass; only candidates are
validated (ISO 7064 checksum and birth date, Luhn), so a long text costs one scan. Full-width
characters are matched as they stand (``０-９``, ``Ｘ``): they are single code points like their
ASCII twins, so offsets into the scanned text stay exact and nothing is copied or translated.

A number is a finding only when it stands alone: a candidate touching an ASCII or full-width
letter or digit (``MB1957361``, ``20261126001``, the middle of a longer run) is part of another
code, and so is one joined to more digits by ``-`` or ``.`` (amounts, decimals, 索引号 serials).
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Literal

Kind = Literal["resident_id", "mobile", "bank_card", "sensitive_word"]
KINDS: tuple[Kind, ...] = ("resident_id", "mobile", "bank_card", "sensitive_word")
KIND_LABELS: dict[str, str] = {
    "resident_id": "身份证号码",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "sensitive_word": "敏感词",
}

_DIGIT = "[0-9\uff10-\uff19]"
_ALNUM = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_JOIN = "-.\uff0d\uff0e"  # hyphen and full stop, ASCII and full-width
# Not inside a longer code: no letter/digit beside it, no "digit-" / "-digit" joining it to one.
_PRE = f"(?<![{_ALNUM}])(?<!{_DIGIT}[{_JOIN}])"
_POST = f"(?![{_ALNUM}])(?![{_JOIN}]{_DIGIT})"
# An 18-character code followed by 「/2026」 is the organisation part of a 索引号.
_ID = (
    f"(?P<resident_id>[1-9\uff11-\uff19]{_DIGIT}{{5}} ?{_DIGIT}{{8}} ?{_DIGIT}{{3}}"
    f"[0-9\uff10-\uff19Xx\uff38\uff58](?![/\uff0f](?:19|20){_DIGIT}{{2}}(?!{_DIGIT})))"
)
_CARD = (
    f"(?P<bank_card>[1-9\uff11-\uff19]{_DIGIT}{{3}}(?:[ -]?{_DIGIT}{{4}}){{3}}"
    f"(?:[ -]?{_DIGIT}{{1,3}})?)"
)
_MOBILE = (
    "(?P<mobile>(?:(?:[+\uff0b]|00|\uff10\uff10)[8\uff18][6\uff16][ -]?)?"
    f"[1\uff11][3-9\uff13-\uff19]{_DIGIT}[ -]?{_DIGIT}{{4}}[ -]?{_DIGIT}{{4}})"
)
_NUMBER = f"{_PRE}(?:{_ID}|{_CARD}|{_MOBILE}){_POST}"
# The leading look-ahead gives the regex engine a first-character set to skip ahead with
# (a pattern that starts with a look-behind is tried at every position: 3x slower).
_NUMBER_FIRST = "0-9\uff10-\uff19+\uff0b"
_NUMBER_RE = re.compile(f"(?=[{_NUMBER_FIRST}]){_NUMBER}")
# Each kind alone, to try the others on a candidate the first alternative took but that failed
# validation (an 18-digit run that is no ID may be a bank card).
_SINGLE_RE = {
    "bank_card": re.compile(f"{_PRE}{_CARD}{_POST}"),
    "mobile": re.compile(f"{_PRE}{_MOBILE}{_POST}"),
}
_FALLBACK: dict[str, tuple[str, ...]] = {
    "resident_id": ("bank_card", "mobile"),
    "bank_card": ("mobile",),
    "mobile": (),
}

_TO_ASCII = str.maketrans(
    "０１２３４５６７８９Ｘｘx",
    "0123456789XXX",
    " -\uff0b+",
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_WEIGHTS_48 = 48 * sum(_ID_WEIGHTS)
_MONTH_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DOUBLED = str.maketrans(
    "0123456789", "0246813579"
)  # Luhn: each second digit doubled, digits summed
# 11-15 华北 … 81/82/83 港澳台居民居住证; 9x: the 2023 foreigners' permanent residence card
_ID_RANGES = ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 83))
_ID_REGIONS = frozenset(
    str(c) for low, high in (*_ID_RANGES, (91, 99)) for c in range(low, high + 1)
)
# GB 32100-2015 unified social credit code: 18 characters, its own mod-31 check character.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# A label right before an all-digit code that passes both checks says which one it is.
_USCC_LABEL_RE = re.compile(r"(?:信用代码|组织机构代码|纳税人识别号|税号|注册号|代码)\s*[:：]?\s*$")


class ScanError(Exception):
    """A file that cannot be read or holds no text (a scan). ``str(exc)`` is Chinese."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source


@dataclass(frozen=True)
class Finding:
    """One piece of personal data. Only the masked form is kept: the raw value stays in the
    scanned text, between ``start`` and ``end`` (0-based offsets; ``line``/``column`` 1-based)."""

    kind: Kind
    masked: str
    line: int
    column: int
    start: int
    end: int

    def to_json(self) -> dict[str, str | int]:
        return asdict(self)


def normalize(value: str) -> str:
    """ASCII digits, upper-case X, no separators or +: the form masks and checks work on."""
    if value.isascii():  # the common case, without translate's per-character lookups
        if value.isdigit():
            return value
        return value.replace(" ", "").replace("-", "").replace("+", "").upper()
    return value.translate(_TO_ASCII)


def resident_id_ok(digits: str, *, today: date | None = None) -> bool:
    """18 characters, a known region, a real birth date (1900 ≤ year, not in the future), the
    ISO 7064 MOD 11-2 check character. ``digits`` is normalized."""
    return _id_ok(digits, (today or date.today()).strftime("%Y%m%d"))


def _id_ok(digits: str, today: str) -> bool:
    # dates compared as YYYYMMDD strings: a scan validates many candidates, date() is slow
    if len(digits) != 18 or digits[:2] not in _ID_REGIONS or not digits[:17].isdigit():
        return False
    born = digits[6:14]
    if born < "19000101" or born > today:
        return False
    month, day = int(born[4:6]), int(born[6:8])
    if not (1 <= month <= 12 and 1 <= day <= _MONTH_DAYS[month]):
        return False
    if month == 2 and day == 29:
        year = int(born[:4])
        if year % 4 or (year % 100 == 0 and year % 400):
            return False
    # on the ASCII codes (48 + digit): no int() per digit
    total = sum(map(operator.mul, digits[:17].encode(), _ID_WEIGHTS)) - _ID_WEIGHTS_48
    return _ID_CHECK[total % 11] == digits[17]


def resident_id_shape(digits: str) -> bool:
    """17 digits and a digit or X: an ID number as typed, right or wrong (for masking)."""
    return len(digits) == 18 and digits[:17].isdigit() and digits[17] in "0123456789X"


def luhn_ok(digits: str) -> bool:
    if not digits.isdigit():
        return False
    backwards = digits[::-1]
    odd, even = backwards[::2], backwards[1::2]
    # summing the bytes of ASCII digits is summing 48 + each digit
    total = sum(odd.encode()) + sum(even.translate(_DOUBLED).encode()) - 48 * len(digits)
    return total % 10 == 0


def credit_code_ok(code: str) -> bool:
    """The GB 32100-2015 check character of a unified social credit code."""
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code, _USCC_WEIGHTS, strict=False))
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


def is_mobile(value: str) -> bool:
    """The whole of ``value`` is one mainland mobile number (separators and +86 allowed)."""
    return _SINGLE_RE["mobile"].fullmatch(value) is not None


def mobile_digits(value: str) -> str:
    digits = normalize(value)
    if len(digits) > 11 and digits.startswith(("0086", "86")):
        digits = digits[-11:]
    return digits


def mask_resident_id(digits: str) -> str:
    """410482199003071238 -> 410482********1238"""
    return f"{digits[:6]}********{digits[-4:]}"


def mask_mobile(digits: str) -> str:
    """13812345678 -> 138****5678"""
    return f"{digits[:3]}****{digits[-4:]}"


def mask_bank_card(digits: str) -> str:
    """6222021234567890 -> 6222********7890 (the bank's prefix and the last four)"""
    return f"{digits[:4]}{'*' * (len(digits) - 8)}{digits[-4:]}"


def mask_word(word: str) -> str:
    return word[:1] + "*" * (len(word) - 1) if len(word) > 1 else "*"


@functools.lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    if not words:
        return _NUMBER_RE
    first = "".join(sorted({re.escape(c) for w in words for c in (w[0].lower(), w[0].upper())}))
    trie = _trie(words)
    if any(c.isascii() and c.isalpha() for w in words for c in w):
        trie = f"(?i:{trie})"
    # one pass for numbers and words, skipping ahead to a character either can start with
    return re.compile(f"(?=[{_NUMBER_FIRST}{first}])(?:{_NUMBER}|(?P<sensitive_word>{trie}))")


def _trie(words: Sequence[str]) -> str:
    """The words as a prefix tree (「身份证(?:号码)?」): the engine follows one branch per
    character instead of trying every word in turn (7x faster for 200 words), and the
    greedy optional tail makes the longest word win."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def clean_words(words: Sequence[str]) -> tuple[str, ...]:
    """The word list as matched: stripped, blanks dropped, duplicates once, order kept."""
    return tuple(dict.fromkeys(w.strip() for w in words if w and w.strip()))


def iter_spans(
    text: str, *, words: Sequence[str] = (), strict: bool = True, today: date | None = None
) -> Iterator[tuple[Kind, str, int, int]]:
    """``(kind, masked, start, end)`` in text order. ``strict=False`` (the event log) masks ID
    numbers by their shape alone: a mistyped ID number is still someone's ID number."""
    pattern = _pattern(clean_words(words))
    day = (today or date.today()).strftime("%Y%m%d")
    for match in pattern.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        if kind == "sensitive_word":
            yield "sensitive_word", mask_word(match.group()), match.start(), match.end()
            continue
        found = _validated(kind, match, text, strict, day)
        if found is None:
            for other in _FALLBACK[kind]:
                retry = _SINGLE_RE[other].match(text, match.start())
                if retry is not None and (found := _validated(other, retry, text, strict, day)):
                    break
        if found is not None:
            yield found


def _validated(
    kind: str, match: re.Match[str], text: str, strict: bool, today: str
) -> tuple[Kind, str, int, int] | None:
    start, end = match.span()
    if kind == "resident_id":
        digits = normalize(match.group())
        if not strict:
            return (
                ("resident_id", mask_resident_id(digits), start, end)
                if resident_id_shape(digits)
                else None
            )
        if not _id_ok(digits, today):
            return None
        if _USCC_LABEL_RE.search(text, max(0, start - 12), start) and credit_code_ok(digits):
            return None  # an all-digit credit code that happens to pass as an ID too
        return "resident_id", mask_resident_id(digits), start, end
    if kind == "bank_card":
        digits = normalize(match.group())
        return ("bank_card", mask_bank_card(digits), start, end) if luhn_ok(digits) else None
    return "mobile", mask_mobile(mobile_digits(match.group())), start, end


def scan_text(text: str, *, words: Sequence[str] = (), today: date | None = None) -> list[Finding]:
    """Every finding in ``text``, in order; ``words`` is the agency's sensitive-word list."""
    findings: list[Finding] = []
    line, line_at = 1, 0  # the line number of offset ``line_at``, counted incrementally
    for kind, masked, start, end in iter_spans(text, words=words, today=today):
        line += text.count("\n", line_at, start)
        line_at = start
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        findings.append(Finding(kind, masked, line, column, start, end))
    return findings


def mask_text(text: str) -> str:
    """``text`` with every ID number (by shape), mobile and bank card replaced by its mask."""
    parts: list[str] = []
    last = 0
    for _kind, masked, start, end in iter_spans(text, strict=False):
        parts.append(text[last:start])
        parts.append(masked)
        last = end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)
