"""The demo snapshot (tests/demo_snapshot.py) puts the database and media back as loaded."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings

from gongkai.agencies.models import User
from gongkai.agencies.services import create_user
from gongkai.disclosure.models import Item
from gongkai.eventlog.models import Event
from gongkai.workspace.demo_data import load_demo_data


def _rows() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def _media() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_restore_undoes_every_change(transactional_db, demo_snapshot):
    demo_snapshot.restore()
    loaded, files, users = _rows(), _media(), set(User.objects.values_list("pk", "username"))
    assert loaded["disclosure.Item"] > 0
    assert load_demo_data().total == 0  # what the snapshot holds is the whole demo

    Item.objects.filter(pk__in=Item.objects.values("pk")[:3]).delete()
    create_user(username="snapshot-probe", password="x" * 12)
    for name in files:
        (Path(settings.MEDIA_ROOT) / name).unlink()
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("left by a test")
    assert _rows() != loaded

    demo_snapshot.restore()
    assert _rows() == loaded
    assert _media() == files
    assert set(User.objects.values_list("pk", "username")) == users
    # Sequences are past the restored ids: new rows (and their events) can be written.
    probe = create_user(username="snapshot-probe", password="x" * 12)
    assert probe.pk > max(pk for pk, _ in users)
    assert Event.objects.filter(object_id=str(probe.pk)).exists()
