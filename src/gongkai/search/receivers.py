"""The index follows every change of what the public sees, in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from gongkai.disclosure.models import Item
from gongkai.disclosure.signals import public_changed
from gongkai.search.models import SearchEntry


@receiver(public_changed, sender=Item, dispatch_uid="search_public_changed")
def item_public_changed(sender: Any, item: Item, **kwargs: Any) -> None:
    from gongkai.search.index import refresh_item  # noqa: PLC0415

    refresh_item(item)


@receiver(post_delete, sender=SearchEntry, dispatch_uid="search_entry_deleted")
def entry_deleted(sender: Any, instance: SearchEntry, **kwargs: Any) -> None:
    """An entry deleted with its item (cascade) takes its SQLite full-text row with it."""
    from gongkai.search.backends import get_backend  # noqa: PLC0415

    get_backend().delete(instance.item_id)
