"""The registry of event-log action codes.

Each app declares its codes with human labels in its own ``actions.py`` (imported from its
AppConfig.ready), so the log can show "审核通过" instead of ``signoff.approve`` and a typo in a
service is an error at the first test run instead of an unreadable row in production.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

ACTION_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

_ACTIONS: dict[str, str] = {}


class UnknownActionError(ValueError):
    """An event was recorded with an action code nobody registered."""


def register_actions(actions: Mapping[str, str]) -> None:
    """Register ``{code: Chinese label}``; re-registering the same pair is harmless."""
    for code, label in actions.items():
        if not ACTION_CODE_RE.match(code):
            raise ValueError(f"事件代码 {code!r} 格式无效：应为 app.verb 形式的小写英文。")
        if not label:
            raise ValueError(f"事件代码 {code!r} 缺少中文说明。")
        existing = _ACTIONS.get(code)
        if existing is not None and existing != label:
            raise ValueError(f"事件代码 {code!r} 已登记为「{existing}」，不能改为「{label}」。")
    _ACTIONS.update(actions)


def is_registered(code: str) -> bool:
    return code in _ACTIONS


def require_registered(code: str) -> None:
    if code not in _ACTIONS:
        raise UnknownActionError(
            f"事件代码 {code!r} 未登记：请在所属应用的 actions.py 中用 register_actions() 登记。"
        )


def label_for(code: str) -> str:
    """The Chinese label, or the code itself for rows written before a code was retired."""
    return _ACTIONS.get(code, code)


def registered_actions() -> dict[str, str]:
    return dict(_ACTIONS)
