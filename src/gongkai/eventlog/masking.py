"""Keep secrets and personal data out of the permanent event log.

The log is append-only and hash-chained, so whatever goes in stays forever: secrets are replaced
entirely, identity numbers and phone numbers keep only enough digits to tell records apart.
"""

from __future__ import annotations

import re
from typing import Any

MASK = "******"

_SECRET_KEY_RE = re.compile(
    r"password|passwd|pwd|secret|token|api_?key|credential|session|private_key|salt",
    re.IGNORECASE,
)
_ID_KEY_RE = re.compile(r"id_?number|id_?card|identity|身份证|证件号", re.IGNORECASE)
_PHONE_KEY_RE = re.compile(r"phone|mobile|手机|电话", re.IGNORECASE)
# An agency's disclosure-office contacts are published by law (条例第二十四条), not personal data.
_PUBLIC_KEY_RE = re.compile(r"^office_", re.IGNORECASE)

_ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_id_number(value: str) -> str:
    """110101199003071234 -> 110101********1234; other shapes keep only the last 4 characters."""
    text = str(value).strip()
    if len(text) == 18:
        return f"{text[:6]}********{text[-4:]}"
    if len(text) <= 4:
        return MASK
    return "*" * (len(text) - 4) + text[-4:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678; landlines keep the last 4 digits."""
    text = str(value).strip()
    if _MOBILE_RE.fullmatch(text):
        return f"{text[:3]}****{text[-4:]}"
    if len(text) <= 4:
        return MASK
    return "*" * (len(text) - 4) + text[-4:]


def mask_pii_text(text: str) -> str:
    """Mask every identity number and mobile number found inside free text."""
    text = _ID_NUMBER_RE.sub(lambda m: f"{m.group(1)}********{m.group(2)[-4:]}", text)
    return _MOBILE_RE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


def mask_secrets(value: Any, *, key: str = "") -> Any:
    """A copy of ``value`` with secret-named keys replaced and PII-named keys partly masked."""
    if isinstance(value, dict):
        return {k: mask_secrets(v, key=str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_secrets(v, key=key) for v in value]
    if value is None or value == "":
        return value
    if key and _SECRET_KEY_RE.search(key):
        return MASK
    if key and _ID_KEY_RE.search(key):
        return mask_id_number(str(value))
    if key and _PHONE_KEY_RE.search(key) and not _PUBLIC_KEY_RE.search(key):
        return mask_phone(str(value))
    return value


# Free text copied into the permanent log keeps this many characters (one limit, set here).
EVENT_TEXT_MAX = 2000
_DIGEST_RE = re.compile(r"^[0-9a-f]{32,128}$")


def truncate_text(text: str, limit: int = EVENT_TEXT_MAX) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（已截断，原文共 {len(text)} 个字符）"


def mask_free_text(value: Any) -> Any:
    """Every string in ``value`` with ID and mobile numbers masked and cut to EVENT_TEXT_MAX.

    Hex digests (revision hashes) are left alone: their digit runs are not phone numbers.
    """
    if isinstance(value, dict):
        return {k: mask_free_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_free_text(v) for v in value]
    if isinstance(value, str) and not _DIGEST_RE.match(value):
        return truncate_text(mask_pii_text(value))
    return value
