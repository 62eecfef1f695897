"""Read-side queries of supervision that several pages share."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from gongkai.supervision.models import QUEUE_STATES, Batch, FileStatus, ReportFile


@dataclass(frozen=True)
class Progress:
    total: int
    queued: int
    parsed: int  # read, awaiting the rules
    audited: int
    failed: int

    @property
    def read(self) -> int:
        """Files past the reader (read successfully, whether audited yet or not)."""
        return self.parsed + self.audited

    @property
    def finished(self) -> int:
        return self.audited + self.failed

    @property
    def done(self) -> bool:
        return self.finished >= self.total

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.finished * 100 // self.total


def batch_progress(batch: Batch) -> Progress:
    counts = dict(
        ReportFile.objects.filter(batch=batch)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return Progress(
        total=sum(counts.values()),
        queued=counts.get(FileStatus.QUEUED, 0),
        parsed=counts.get(FileStatus.PARSED, 0),
        audited=counts.get(FileStatus.AUDITED, 0),
        failed=counts.get(FileStatus.FAILED, 0),
    )


def queue_of(files: QuerySet[ReportFile]) -> QuerySet[ReportFile]:
    """Read files that wait for a person to say whose report and which year they are."""
    return (
        files.filter(
            match_state__in=QUEUE_STATES, status__in=[FileStatus.PARSED, FileStatus.AUDITED]
        )
        .select_related("suggested_agency", "batch", "version")
        .order_by("pk")
    )
