"""索引号: one counter row per agency and year, incremented under a row lock.

The counter row is created with ``ignore_conflicts`` and then locked, so two first items of a
year cannot both start at 1; the unique constraint on ``Item(agency, index_number)`` is the
backstop if anything else ever writes an index number.
"""

from __future__ import annotations

import string
from typing import Any

from django.db import transaction

from gongkai.disclosure.errors import IndexFormatError
from gongkai.disclosure.models import IndexCounter

ALLOWED_FIELDS = frozenset({"org", "year", "serial"})


def check_format(fmt: str) -> str:
    """Validate an index-number format; returns it, or raises ``IndexFormatError``."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(fmt) if f is not None]
        if "serial" not in fields or not set(fields) <= ALLOWED_FIELDS:
            raise IndexFormatError
        fmt.format(org="MB1957361", year=2026, serial=1)
    except (ValueError, IndexError, KeyError) as exc:
        raise IndexFormatError from exc
    if len(fmt) > 60 or any(not ch.isprintable() for ch in fmt):
        raise IndexFormatError
    return fmt


def next_index_number(agency: Any, year: int, fmt: str) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_index_number() must run inside the item's transaction")
    IndexCounter.objects.bulk_create(
        [IndexCounter(agency=agency, year=year, last_serial=0)], ignore_conflicts=True
    )
    counter = IndexCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    org = agency.index_org_code or f"A{agency.pk:08d}"
    return fmt.format(org=org, year=year, serial=counter.last_serial)
