"""Free text at the boundary: bounded, free of control characters, and not blank in disguise.

Every free-text input (comments, return reasons, delegation reasons, titles, bodies) goes through
``clean_text`` — in the form field, in the service verb and, for the length, in a database
constraint — so the rule cannot be skipped by a view that forgets a form. PostgreSQL refuses NUL
bytes outright (a 500 before this existed), and bidirectional overrides can make a comment read
differently from what it says, so both are refused with a clear message instead of stored.

Pure Python (no Django), so pure modules such as the calendar importer use the same rules;
the Django validators are in ``validators.py``.
"""

from __future__ import annotations

import re
import unicodedata

# One place for the limits, so forms, models, verbs and the event log agree.
TITLE_MAX = 300
COMMENT_MAX = 2000
REASON_MAX = 200
BODY_MAX = 50_000
USERNAME_MAX = 150

# C0/C1 controls except tab, line feed and carriage return; bidi embeddings, overrides and
# isolates; the line/paragraph separators; noncharacters U+FFFE/U+FFFF.
_FORBIDDEN_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufffe\uffff]"
)
# Characters that render as nothing: a text made only of these (and spaces) is no text.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f\u115f\u1160\u3164\uffa0"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")

CONTROL_MESSAGE = (
    "不能包含控制字符或不可见的格式字符（例如 NUL 或文字方向控制符），请删除后再提交。"
)
BLANK_MESSAGE = "内容不能为空，也不能只有空格或不可见字符。"


class TextRefusedError(ValueError):
    """The text breaks a rule; ``message`` says which, in Chinese, for the user."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def has_forbidden_chars(text: str) -> bool:
    return bool(_FORBIDDEN_RE.search(text))


def is_blank(text: object) -> bool:
    """Nothing but whitespace (any Unicode space, 　 included) and invisible characters."""
    if not isinstance(text, str):
        return text is None
    return not _INVISIBLE_RE.sub("", text).strip()


def too_long_message(limit: int, length: int) -> str:
    return f"内容过长：最多 {limit} 个字符，现有 {length} 个。"


def clean_text(value: object, *, limit: int, required: bool = False) -> str:
    """The stripped text, or ``TextRefusedError``; ``None`` counts as empty.

    NFC normalisation first, so the same words typed on two keyboards compare (and hash) equal.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise TextRefusedError("内容应为文字。")
    text = unicodedata.normalize("NFC", value).strip()
    if has_forbidden_chars(text):
        raise TextRefusedError(CONTROL_MESSAGE)
    if is_blank(text):
        if required:
            raise TextRefusedError(BLANK_MESSAGE)
        return ""
    if len(text) > limit:
        raise TextRefusedError(too_long_message(limit, len(text)))
    return text
