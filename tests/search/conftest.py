"""Search fixtures: items published through the real disclosure services."""

from __future__ import annotations

import pytest
from tests.disclosure.conftest import column, item_template, make_item, news_column, review_all
from tests.portal.conftest import publish

__all__ = ["column", "item_template", "make_item", "news_column", "publish", "review_all"]


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks):
    """On-commit work (attachment extraction) runs as in production, at the end of the test's
    outer transaction blocks."""
    return django_capture_on_commit_callbacks
