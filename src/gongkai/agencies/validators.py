"""Validators for the national organisation identifiers.

统一社会信用代码 (GB 32100-2015): 18 characters over a 31-character alphabet (digits and capital
letters without I, O, Z, S, V); the last one is a check character computed from the first 17.
Characters 9–17 are the 组织机构代码 (GB 11714-1997), itself 8 body characters plus a check
character, which agencies use in the 索引号 of their disclosed information.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(ch) * weight
        for ch, weight in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character (0-9 or X) for the 8 body characters of an org code."""
    total = sum(
        _ORG_ALPHABET.index(ch) * weight for ch, weight in zip(first8, _ORG_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalize_code(value: str) -> str:
    return value.strip().upper().replace("-", "").replace(" ", "")


def validate_credit_code(value: str) -> None:
    code = normalize_code(value)
    if len(code) != 18:
        raise ValidationError(
            "统一社会信用代码应为 18 位，当前为 %(n)s 位。", code="length", params={"n": len(code)}
        )
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）。",
            code="alphabet",
            params={"chars": "、".join(bad)},
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            "统一社会信用代码校验位错误：第 18 位应为 %(expected)s，实为 %(actual)s。",
            code="check_digit",
            params={"expected": expected, "actual": code[17]},
        )


def validate_org_code(value: str) -> None:
    code = normalize_code(value)
    if len(code) != 9:
        raise ValidationError(
            "组织机构代码应为 9 位（8 位本体代码加 1 位校验码），当前为 %(n)s 位。",
            code="length",
            params={"n": len(code)},
        )
    if any(ch not in _ORG_ALPHABET for ch in code[:8]):
        raise ValidationError("组织机构代码本体只能包含数字和大写字母。", code="alphabet")
    expected = org_code_check_char(code[:8])
    if code[8] != expected:
        raise ValidationError(
            "组织机构代码校验码错误：第 9 位应为 %(expected)s，实为 %(actual)s。",
            code="check_digit",
            params={"expected": expected, "actual": code[8]},
        )


def org_code_from_credit_code(credit_code: str) -> str:
    """Characters 9–17 of a credit code are the organisation code."""
    return normalize_code(credit_code)[8:17]
