"""What makes cached portal pages stale (gongkai.portal.cache).

Model signals rather than one hook per verb: any path that changes a public row — a verb, the
admin, an import — goes through ``save()``, so no new verb can forget to invalidate. A draft of an
item that was never public changes nothing the public sees and is ignored.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from gongkai.agencies.models import Agency, Region
from gongkai.disclosure.models import Column, Item
from gongkai.portal import cache


def _agency_changed(sender: Any, instance: Agency, **kwargs: Any) -> None:
    cache.bump_structure()
    cache.bump_agency(instance.pk)


def _region_changed(sender: Any, instance: Region, **kwargs: Any) -> None:
    cache.bump_structure()


def _column_changed(sender: Any, instance: Column, **kwargs: Any) -> None:
    cache.bump_agency(instance.agency_id)


def _item_changed(sender: Any, instance: Item, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if instance.published_revision_id is not None or (
        fields is not None and "published_revision" in fields
    ):
        cache.bump_agency(instance.agency_id)


def connect() -> None:
    for model, receiver in (
        (Agency, _agency_changed),
        (Region, _region_changed),
        (Column, _column_changed),
        (Item, _item_changed),
    ):
        uid = f"portal-cache-{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")
