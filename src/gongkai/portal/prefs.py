"""Display preferences of a portal visitor: text size (标准/大/特大) and 长辈版 (elder mode).

They live in one cookie, set by the ``portal:prefs`` view from plain links (no JavaScript) and
read here. **Everything that depends on them goes through** :func:`from_request`: the context
processor ``gongkai.portal.context.portal`` (``prefs`` in every template; base.html renders
``prefs.html_class`` on ``<html>``) and any page cache, which must key anonymous pages on
``Prefs.cache_key`` because the rendered HTML differs between preferences. Unknown or malformed
cookie values are ignored and give the defaults, so there are exactly ``len(SIZES) * 2`` keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

COOKIE = "gk_prefs"
COOKIE_MAX_AGE = 365 * 24 * 3600
SIZES = ("standard", "large", "xlarge")
SIZE_LABELS = {"standard": "标准", "large": "大", "xlarge": "特大"}


@dataclass(frozen=True)
class Prefs:
    size: str = "standard"
    elder: bool = False

    @property
    def cache_key(self) -> str:
        """Stable, short and one of exactly six values: ``standard.0`` … ``xlarge.1``."""
        return f"{self.size}.{int(self.elder)}"

    @property
    def cookie_value(self) -> str:
        return self.cache_key

    @property
    def html_class(self) -> str:
        return f"size-{self.size}" + (" mode-elder" if self.elder else "")

    @property
    def is_default(self) -> bool:
        return self == Prefs()

    def sizes(self) -> list[tuple[str, str, bool]]:
        """(value, label, current) for the size switch."""
        return [(value, SIZE_LABELS[value], value == self.size) for value in SIZES]


def parse(raw: str | None) -> Prefs:
    """The cookie's value → Prefs; anything unexpected is the default."""
    size, _, elder = (raw or "").partition(".")
    if size not in SIZES or elder not in ("0", "1"):
        return Prefs()
    return Prefs(size=size, elder=elder == "1")


def from_request(request: Any) -> Prefs:
    """The one place that reads a request's display preferences."""
    return parse(request.COOKIES.get(COOKIE))


def updated(prefs: Prefs, query: Any) -> Prefs:
    """Apply ``?size=…`` / ``?elder=0|1`` from the switch links; bad values change nothing."""
    size = query.get("size")
    elder = query.get("elder")
    return Prefs(
        size=size if size in SIZES else prefs.size,
        elder=(elder == "1") if elder in ("0", "1") else prefs.elder,
    )
