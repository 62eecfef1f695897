"""One cell piece → a figure, a mark, a label, or an unreadable figure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.reportdoc.numbers import classify


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("1207", "num", 1207),
        ("１２０７", "num", 1207),
        ("4,119", "num", 4119),
        ("7730.28", "num", Decimal("7730.28")),
        ("-5", "num", -5),
        ("—", "dash", None),
        ("/", "dash", None),
        ("无", "dash", None),
        # footnote marks after a figure are not digits of it (NFKC makes ① and ¹ a 1)
        ("1207①", "num", 1207),
        ("1207¹", "num", 1207),
        ("1207²", "num", 1207),
        ("5*", "num", 5),
        ("5#", "num", 5),
        ("12.5※", "num", Decimal("12.5")),
        ("5（注）", "num", 5),
        ("5（注1）", "num", 5),
        # a mark alone is no figure
        ("①", "noise", None),
        ("*", "noise", None),
        # OCR look-alikes inside a figure: unreadable, never a smaller number
        ("4丨丨9", "garbled", None),
        ("5l7645", "garbled", None),
        ("2O", "garbled", None),
        ("5*3", "label", None),
        ("行政许可", "label", None),
    ],
)
def test_classify(text: str, kind: str, value: object) -> None:
    piece = classify(text)
    assert (piece.kind, piece.value) == (kind, value)
