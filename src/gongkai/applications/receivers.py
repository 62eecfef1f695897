"""Signal receivers: a newly loaded calendar year recomputes provisional deadlines."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from gongkai.signoff.signals import chain_approved
from gongkai.workdays.signals import calendar_year_loaded


@receiver(calendar_year_loaded, dispatch_uid="applications.recompute_provisional")
def _year_loaded(sender: Any, year: int, **kwargs: Any) -> None:
    from gongkai.applications.services import recompute_provisional  # noqa: PLC0415

    recompute_provisional(year)


@receiver(chain_approved, dispatch_uid="applications.letter_signed")
def _letter_approved(sender: Any, chain: Any, **kwargs: Any) -> None:
    """The last step of a notice letter's chain signed it: it gets its 文号."""
    if chain.purpose != "notice_letter":
        return
    from gongkai.applications.models import Letter  # noqa: PLC0415
    from gongkai.applications.services import sign_letter  # noqa: PLC0415

    if chain.content_type.model_class() is not Letter:
        return
    letter = Letter.objects.filter(pk=chain.object_id).first()
    if letter is not None and letter.status == "draft":
        sign_letter(letter)
