"""The append-only, hash-chained event log.

Each row's ``hash`` is sha256(previous row's hash + canonical JSON of the row), so editing,
deleting or reordering rows breaks the chain at the first tampered row (``gongkai eventlog
verify``). Rows are written only by ``gongkai.eventlog.services.record``; the chain head row is
locked by every writer so the chain stays linear under concurrency.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from gongkai.eventlog.registry import label_for

GENESIS_HASH = "0" * 64


class AppendOnlyError(RuntimeError):
    """Events are never changed or removed."""


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("事件日志只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("事件日志只能追加，不能删除。")


class Event(models.Model):
    seq = models.BigIntegerField("序号", unique=True, editable=False)
    created_at = models.DateTimeField("时间", editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        # Users who acted are deactivated, never deleted: deleting would rewrite history.
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField("操作人（记录时）", max_length=200, editable=False)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    action = models.CharField("事件", max_length=64, db_index=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=128, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    prev_hash = models.CharField("前一哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "事件"
        verbose_name_plural = "事件日志"
        ordering = ("seq",)
        indexes = (
            models.Index(fields=["content_type", "object_id"], name="event_object"),
            models.Index(fields=["agency", "created_at"], name="event_agency_time"),
        )

    def __str__(self) -> str:
        return f"#{self.seq} {self.action_label} {self.object_repr}".strip()

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("事件日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("事件日志只能追加，不能删除。")

    @property
    def action_label(self) -> str:
        return label_for(self.action)


class EventChainHead(models.Model):
    """One row (pk=1): the last sequence number and hash, locked by every writer."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "事件链头"
        verbose_name_plural = "事件链头"

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"
