"""Search fixtures: items published through the real disclosure services."""

from __future__ import annotations

from tests.disclosure.conftest import column, item_template, make_item, news_column, review_all
from tests.portal.conftest import publish

__all__ = ["column", "item_template", "make_item", "news_column", "publish", "review_all"]
