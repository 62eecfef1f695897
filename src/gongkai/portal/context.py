"""Template context for every page: the visitor's display preferences and the demo flag."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from gongkai.portal import prefs


def portal(request: Any) -> dict[str, Any]:
    """``prefs`` (see :mod:`gongkai.portal.prefs`) and ``gongkai_demo`` for the demo ribbon."""
    return {
        "prefs": prefs.from_request(request),
        "gongkai_demo": getattr(settings, "GONGKAI_DEMO", False),
    }
