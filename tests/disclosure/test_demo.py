"""The 主动公开 demo: about 30 items in every state, a living freshness picture, idempotent."""

from __future__ import annotations

import pytest

from gongkai.agencies.models import Agency
from gongkai.disclosure import freshness
from gongkai.disclosure.models import Item, PiiFinding
from gongkai.workspace.demo_data import PETITION_BUREAU, load_demo_data

pytestmark = pytest.mark.django_db


def test_demo_items_cover_every_state(demo_db):
    bureau = Agency.objects.get(name=PETITION_BUREAU)
    items = Item.objects.filter(agency=bureau)
    assert 25 <= items.count() <= 40
    statuses = set(items.values_list("status", flat=True))
    assert statuses == {"draft", "in_review", "approved", "scheduled", "published", "withdrawn"}
    # a published item under re-edit: the public keeps its approved version
    assert items.filter(status="draft", published_revision__isnull=False).exists()
    # a leader reception schedule waiting for its confirmation
    schedule = items.get(kind="reception_schedule", status="approved")
    assert schedule.schedule_confirmed_revision is None
    # an item held by a personal-data finding
    assert PiiFinding.objects.filter(item__agency=bureau, acknowledged_at__isnull=True).exists()
    # normative documents with validity, interpretations linked by column
    assert set(items.filter(kind="normative").values_list("validity", flat=True)) == {
        "valid",
        "repealed",
    }
    assert all("演示数据" in body for body in items.values_list("body", flat=True))
    (entry,) = freshness.report([bureau])
    assert entry.by_state("due_soon") or entry.by_state("stale")
    assert load_demo_data().total == 0
