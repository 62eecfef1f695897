"""The index follows every change of what the public sees, in the same transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from gongkai.disclosure.models import Item
from gongkai.disclosure.signals import public_changed


@receiver(public_changed, sender=Item, dispatch_uid="search_public_changed")
def item_public_changed(sender: Any, item: Item, **kwargs: Any) -> None:
    from gongkai.search.index import refresh_item  # noqa: PLC0415

    refresh_item(item)
