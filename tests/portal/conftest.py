"""Portal fixtures: items driven through the real disclosure services."""

from __future__ import annotations

import pytest
from tests.applications.conftest import letter_template, make_application, sign
from tests.disclosure.conftest import column, item_template, make_item, news_column, review_all

__all__ = [
    "column",
    "item_template",
    "letter_template",
    "make_application",
    "make_item",
    "news_column",
    "review_all",
    "sign",
]


@pytest.fixture
def publish(make_item, review_all, drafter):
    from gongkai.disclosure import services  # noqa: PLC0415

    def run(**values):
        return services.publish_item(review_all(make_item(**values)), actor=drafter)

    return run
