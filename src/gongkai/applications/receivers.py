"""Signal receivers: a newly loaded calendar year recomputes provisional deadlines."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from gongkai.workdays.signals import calendar_year_loaded


@receiver(calendar_year_loaded, dispatch_uid="applications.recompute_provisional")
def _year_loaded(sender: Any, year: int, **kwargs: Any) -> None:
    from gongkai.applications.services import recompute_provisional  # noqa: PLC0415

    recompute_provisional(year)
