"""Reading one table cell's text as a number, a blank, or neither.

A blank is ``None`` and stays ``None``: agencies write 「—」「-」「/」「无」 or leave the cell
empty, and although some mean zero, the report must say so itself (rule B1) — the reader never
turns a mark into 0. Counts are ``int``; amounts (table 二 万元 cells) are ``Decimal`` so that
「4068.2080」 keeps its digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

PieceKind = Literal["num", "blank", "dash", "garbled", "label", "noise"]

# Marks printed in place of a figure. 「无」 only counts when it is the whole cell.
DASH_MARKS = frozenset({"-", "--", "—", "——", "–", "－", "/", "／", "\\", "无", "─", "一一"})

_NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_NOISE_RE = re.compile(r"^[\W_]+$")
# a figure with an OCR look-alike in it: 「4丨丨9」「5l7645」「2O」 (丨/l/I for 1, O/o/〇 for 0).
# It is a cell's value that cannot be read — never a label, and never guessed.
_GARBLED_RE = re.compile(r"^(?=.*\d)(?=.*[丨lIOo〇])[\d丨lIOo〇.,]+$")
_UNIT_CHARS = frozenset("件条个人次元篇项份场页%‰户家起宗万")
_MARKS = "\u00b9\u00b2\u00b3\u2070-\u209f\u2460-\u24ff\u2776-\u2793*＊※#＃△▲"
_MARKS_ONLY_RE = re.compile(r"^[" + _MARKS + r"]+$")
_FOOTNOTE_RE = re.compile(
    r"^([\d０-９][\d０-９.,．，]*?)(?:[" + _MARKS + r"]+|[(（]注\s*[\d０-９]*[)）])$"
)


@dataclass(frozen=True)
class Piece:
    kind: PieceKind
    text: str  # NFKC-folded text
    value: int | Decimal | None = None


def fold(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), keeping everything else."""
    return unicodedata.normalize("NFKC", text)


def parse_number(text: str) -> int | Decimal | None:
    """``int`` for whole numbers, ``Decimal`` when a decimal point is printed, else ``None``."""
    folded = fold(text).strip()
    if not _NUMBER_RE.match(folded):
        return None
    plain = folded.replace(",", "")
    if "." in plain:
        try:
            return Decimal(plain)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
            return None
    return int(plain)


def classify(piece: str) -> Piece:
    """Classify one whitespace-free piece of a cell."""
    if piece.isascii():
        if piece.isdigit():  # the common case
            return Piece("num", piece, int(piece))
        folded = piece.strip()  # NFKC leaves ASCII as it is
        if folded[-1:] in ("*", "#") and (marked := _FOOTNOTE_RE.match(folded)):
            folded = marked[1]
    elif _MARKS_ONLY_RE.match(piece):
        return Piece("noise", piece)  # a footnote or list mark on its own: 「①」, never 1
    else:
        # a footnote mark after a figure (「1207①」「1207¹」「5（注）」) is not part of it;
        # NFKC would turn ① and ¹ into the digit 1 (「12071」)
        marked = _FOOTNOTE_RE.match(piece)
        folded = fold(marked[1] if marked else piece).strip()
    if not folded:
        return Piece("blank", "")
    if folded in DASH_MARKS or piece.strip() in DASH_MARKS:
        return Piece("dash", folded)
    if _NUMBER_RE.match(folded):  # parse_number on text already folded
        plain = folded.replace(",", "")
        return Piece("num", folded, Decimal(plain) if "." in plain else int(plain))
    if _GARBLED_RE.match(folded):
        return Piece("garbled", folded)
    if _NOISE_RE.match(folded):
        return Piece("noise", folded)
    return Piece("label", folded)


def starts_with_unit(text: str) -> bool:
    """Prose quotes figures as 「34 件」; a table cell never carries a unit after the number."""
    return bool(text) and text[0] in _UNIT_CHARS


def as_count(value: int | Decimal) -> int | Decimal:
    """A count printed as 「0.0000」 is still the count 0; a real fraction stays a Decimal
    so that rule N1 can report it."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def as_amount(value: int | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)
