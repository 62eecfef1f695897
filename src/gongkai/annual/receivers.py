"""A report's state follows its sign-off chain."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from gongkai.signoff.models import Chain, Purpose
from gongkai.signoff.signals import chain_approved, chain_returned


@receiver(chain_approved, sender=Chain, dispatch_uid="annual_chain_approved")
def report_chain_approved(sender: Any, chain: Chain, **kwargs: Any) -> None:
    if chain.purpose == Purpose.ANNUAL_REPORT:
        from gongkai.annual.services import on_chain_approved  # noqa: PLC0415

        on_chain_approved(chain)


@receiver(chain_returned, sender=Chain, dispatch_uid="annual_chain_returned")
def report_chain_returned(sender: Any, chain: Chain, **kwargs: Any) -> None:
    if chain.purpose == Purpose.ANNUAL_REPORT:
        from gongkai.annual.services import on_chain_returned  # noqa: PLC0415

        on_chain_returned(chain)
