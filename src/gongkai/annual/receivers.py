"""A report's state follows its sign-off chain and the publication of its 年报 item."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from gongkai.disclosure.models import Item
from gongkai.disclosure.signals import item_published
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


@receiver(item_published, sender=Item, dispatch_uid="annual_item_published")
def report_item_published(sender: Any, item: Item, **kwargs: Any) -> None:
    """The 年报 item went public: its report is published now, not at the next daily job."""
    from gongkai.annual.models import AnnualReport  # noqa: PLC0415
    from gongkai.annual.services import sync_publication  # noqa: PLC0415

    for report in AnnualReport.objects.filter(published_item=item):
        sync_publication(report)
