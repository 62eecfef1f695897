"""Signal receivers: default columns for every new agency; item state follows its chain."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from gongkai.agencies.models import Agency
from gongkai.signoff.models import Chain
from gongkai.signoff.signals import chain_approved, chain_returned


@receiver(post_save, sender=Agency, dispatch_uid="disclosure_seed_columns")
def seed_columns_for_new_agency(
    sender: Any, instance: Agency, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        from gongkai.disclosure.services import seed_default_columns  # noqa: PLC0415

        seed_default_columns(instance)


@receiver(chain_approved, sender=Chain, dispatch_uid="disclosure_chain_approved")
def item_chain_approved(sender: Any, chain: Chain, **kwargs: Any) -> None:
    from gongkai.disclosure.services import on_chain_approved  # noqa: PLC0415

    on_chain_approved(chain)


@receiver(chain_returned, sender=Chain, dispatch_uid="disclosure_chain_returned")
def item_chain_returned(sender: Any, chain: Chain, **kwargs: Any) -> None:
    from gongkai.disclosure.services import on_chain_returned  # noqa: PLC0415

    on_chain_returned(chain)
