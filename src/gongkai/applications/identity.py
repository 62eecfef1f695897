"""Identity documents of applicants (条例第二十九条: 申请人的身份证明).

居民身份证号码 (GB 11643-1999): 17 digits — 6 of the address code, 8 of the birth date, 3 of the
sequence — and a check character (ISO 7064 MOD 11-2, 0–9 or X). The birth date must be a real
day, not in the future, not before 1900. Organisations identify by 统一社会信用代码 (validated
by ``gongkai.agencies.validators``).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from gongkai.agencies.validators import normalize_code, validate_credit_code

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def resident_id_check_char(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_resident_id(value: str, *, today: date | None = None) -> str:
    """The normalised number (capital X) or a ValidationError in Chinese."""
    number = value.strip().upper()
    if len(number) != 18:
        raise ValidationError(f"居民身份证号码应为 18 位，当前为 {len(number)} 位。")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError("居民身份证号码前 17 位应为数字，第 18 位为数字或 X。")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(f"居民身份证号码中的出生日期 {number[6:14]} 不是有效日期。") from None
    if born.year < 1900 or born > (today or date.today()):
        raise ValidationError(f"居民身份证号码中的出生日期 {born.isoformat()} 不合理。")
    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            f"居民身份证号码校验位错误：第 18 位应为 {expected}，实为 {number[17]}。"
        )
    return number


def validate_identity(id_type: str, number: str) -> str:
    """Validate ``number`` for its document type; returns the normalised form."""
    from gongkai.applications.models import IdType  # noqa: PLC0415  (models import us)

    number = number.strip()
    if id_type == IdType.RESIDENT_ID:
        return validate_resident_id(number)
    if id_type == IdType.CREDIT_CODE:
        validate_credit_code(number)
        return normalize_code(number)
    if id_type == IdType.NONE:
        if number:
            raise ValidationError("未选择证件类型时不应填写证件号码。")
        return ""
    if not number:
        raise ValidationError("请填写证件号码。")
    if any(ord(ch) < 32 for ch in number):
        raise ValidationError("证件号码含有控制字符。")
    return number
