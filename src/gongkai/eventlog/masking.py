"""Keep secrets and personal data out of the permanent event log.

The log is append-only and hash-chained, so whatever goes in stays forever: secrets are replaced
entirely, identity numbers and phone numbers keep only enough digits to tell records apart.
"""

from __future__ import annotations

import re
from typing import Any

from gongkai.pii import mask_text
from gongkai.pii.detect import is_mobile, mask_mobile, mask_resident_id, mobile_digits

MASK = "******"

_SECRET_KEY_RE = re.compile(
    r"password|passwd|pwd|secret|token|api_?key|credential|session|private_key|salt",
    re.IGNORECASE,
)
_ID_KEY_RE = re.compile(r"id_?number|id_?card|identity|身份证|证件号", re.IGNORECASE)
_PHONE_KEY_RE = re.compile(r"phone|mobile|手机|电话", re.IGNORECASE)
# An agency's disclosure-office contacts are published by law (条例第二十四条), not personal data.
_PUBLIC_KEY_RE = re.compile(r"^office_", re.IGNORECASE)


def mask_id_number(value: str) -> str:
    """110101199003071234 -> 110101********1234; other shapes keep only the last 4 characters."""
    text = str(value).strip()
    if len(text) == 18:
        return mask_resident_id(text)
    if len(text) <= 4:
        return MASK
    return "*" * (len(text) - 4) + text[-4:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678; landlines keep the last 4 digits."""
    text = str(value).strip()
    if is_mobile(text):
        return mask_mobile(mobile_digits(text))
    if len(text) <= 4:
        return MASK
    return "*" * (len(text) - 4) + text[-4:]


def mask_pii_text(text: str) -> str:
    """Mask every identity number (by its shape: a mistyped one is still someone's), mobile
    number and bank card number found inside free text, with the personal-data check's own
    detectors."""
    return mask_text(text)


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


def mask_free_text(value: Any) -> Any:
    """Every string in ``value`` with ID and mobile numbers masked and cut to EVENT_TEXT_MAX.

    Hex digests (revision hashes) are left alone: their digit runs are not phone numbers.
    """
    if isinstance(value, dict):
        return {k: mask_free_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_free_text(v) for v in value]
    if isinstance(value, str) and not _DIGEST_RE.match(value):
        # Cut before masking (a 2 MB text is not scanned whole), with a margin so a number
        # straddling the limit is still seen whole and masked, then cut to the limit.
        head = value[: EVENT_TEXT_MAX + 64]
        masked = mask_pii_text(head)[:EVENT_TEXT_MAX]
        if len(value) > EVENT_TEXT_MAX:
            return f"{masked}…（已截断，原文共 {len(value)} 个字符）"
        return masked
    return value
