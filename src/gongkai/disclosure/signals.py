"""Signals other domain apps listen to, so that disclosure never imports them.

``item_published`` is sent after the transaction that made an item public commits (published
now or by the scheduler): e.g. the annual report whose 年报 item it is marks itself published.

``public_changed`` is sent INSIDE the transaction of every change to what the public sees of an
item — a publication or re-publication (a new ``published_revision``), a withdrawal, a move to
another column while public — so a receiver's writes (the search index) commit or roll back
with the change itself.
"""

from django.dispatch import Signal

item_published = Signal()  # sender=Item, item=Item
public_changed = Signal()  # sender=Item, item=Item
