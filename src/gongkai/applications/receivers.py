"""Signal receivers: a newly loaded calendar year recomputes provisional deadlines; approved
letters get their 文号; an approved or returned extension request applies or is rejected."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from gongkai.signoff.signals import chain_approved, chain_returned
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


def _extension_of(chain: Any) -> Any:
    if chain.purpose != "extension_request":
        return None
    from gongkai.applications.models import ExtensionRequest  # noqa: PLC0415

    if chain.content_type.model_class() is not ExtensionRequest:
        return None
    return ExtensionRequest.objects.filter(pk=chain.object_id, status="in_review").first()


@receiver(chain_approved, dispatch_uid="applications.extension_approved")
def _extension_approved(sender: Any, chain: Any, **kwargs: Any) -> None:
    """The head of the office approved the extension: it applies if approved in time."""
    extension = _extension_of(chain)
    if extension is None:
        return
    from django.utils import timezone  # noqa: PLC0415

    from gongkai.applications.services import apply_extension  # noqa: PLC0415

    last = chain.steps.filter(round=chain.round).order_by("-order").first()
    apply_extension(
        extension,
        approved_by=last.decided_by if last else None,
        approved_on=timezone.localdate(chain.closed_at),
    )


@receiver(chain_returned, dispatch_uid="applications.extension_returned")
def _extension_returned(sender: Any, chain: Any, step: Any, **kwargs: Any) -> None:
    """Returned = not approved: the request is rejected with the reviewer's reason."""
    extension = _extension_of(chain)
    if extension is None:
        return
    from django.utils import timezone  # noqa: PLC0415

    from gongkai.applications.services import reject_extension  # noqa: PLC0415

    reject_extension(
        extension,
        rejected_by=step.decided_by,
        comment=step.comment,
        on=timezone.localdate(step.decided_at),
    )
