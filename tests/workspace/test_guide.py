"""The workspace button that drafts the 政府信息公开指南 from the agency's settings."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.disclosure.conftest import item_template, review_all

from gongkai.disclosure.models import Item

__all__ = ["item_template", "review_all"]

pytestmark = pytest.mark.django_db


def test_drafter_sees_the_button_and_gets_the_draft_to_edit(client, drafter, petition_bureau):
    client.force_login(drafter)
    page = client.get(reverse("workspace:disclosure_columns")).content.decode()
    assert reverse("workspace:disclosure_guide") in page
    response = client.post(reverse("workspace:disclosure_guide"))
    item = Item.objects.get(agency=petition_bureau, column__name="政府信息公开指南")
    assert response["Location"] == item.get_absolute_url()
    assert item.status == "draft"


def test_reviewer_has_no_button_and_is_refused_with_a_message(client, reviewer, petition_bureau):
    client.force_login(reviewer)
    page = client.get(reverse("workspace:disclosure_columns")).content.decode()
    assert reverse("workspace:disclosure_guide") not in page
    response = client.post(reverse("workspace:disclosure_guide"), follow=True)
    assert "只有起草人员或本单位管理员" in response.content.decode()
    assert not Item.objects.filter(agency=petition_bureau).exists()


def test_refreshing_an_unchanged_published_guide_says_so(
    client, drafter, petition_bureau, item_template, review_all
):
    from gongkai.disclosure import services  # noqa: PLC0415

    item = services.draft_guide(petition_bureau, actor=drafter)
    services.publish_item(review_all(item), actor=drafter)
    client.force_login(drafter)
    response = client.post(reverse("workspace:disclosure_guide"), follow=True)
    assert "无需更新" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "published"
