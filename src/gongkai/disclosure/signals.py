"""Signals other domain apps listen to, so that disclosure never imports them.

``item_published`` is sent after the transaction that made an item public commits (published
now or by the scheduler): e.g. the annual report whose 年报 item it is marks itself published.
"""

from django.dispatch import Signal

item_published = Signal()  # sender=Item, item=Item
