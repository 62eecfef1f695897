"""Background jobs of search (django-tasks; see docs/jobs.md)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from gongkai.disclosure.models import Attachment, Item
from gongkai.search.extract import attachment_text
from gongkai.search.models import AttachmentText

log = logging.getLogger(__name__)


@task()
def extract_attachments(item_id: int, attachment_ids: list[int]) -> int:
    """Extract the text of the attachments (once each), then re-index the item if it is still
    public. A file that cannot be read is recorded with its error and indexed without text:
    extraction never breaks publishing. Returns the number of attachments extracted."""
    done = 0
    for attachment in Attachment.objects.filter(pk__in=attachment_ids).exclude(
        search_text__isnull=False
    ):
        text, error = "", ""
        try:
            with attachment.file.open("rb") as handle:
                text = attachment_text(handle.read(), name=attachment.original_name)
        except Exception as exc:
            log.warning("attachment %s: no text extracted (%s)", attachment.pk, exc)
            error = str(exc)[:200] or exc.__class__.__name__
        AttachmentText.objects.update_or_create(
            attachment=attachment,
            defaults={"text": text, "error": error, "extracted_at": timezone.now()},
        )
        done += 1
    from gongkai.search.index import refresh_item  # noqa: PLC0415

    with transaction.atomic():
        item = (
            Item.objects.select_for_update(of=("self",))
            .select_related("published_revision")
            .filter(pk=item_id)
            .first()
        )
        if item is not None:
            refresh_item(item)
    return done
