"""The one row per periodic job that makes "enqueue once across all workers" a database fact."""

from __future__ import annotations

from django.db import models


class PeriodicJob(models.Model):
    name = models.CharField("任务名称", max_length=100, unique=True)
    task_path = models.CharField("任务", max_length=200)
    every_seconds = models.PositiveIntegerField("周期（秒）")
    # Claimed by a conditional UPDATE: the worker whose UPDATE moves this forward enqueues.
    last_enqueued_at = models.DateTimeField("最近入队时间", null=True, blank=True)
    last_result_id = models.CharField("最近任务编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "定时任务"
        verbose_name_plural = "定时任务"
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Heartbeat(models.Model):
    """When a worker last ran a job: the workspace can say that background work has stopped."""

    worker = models.CharField("进程", max_length=100, unique=True)
    last_seen = models.DateTimeField("最近运行时间")

    class Meta:
        verbose_name = "后台进程心跳"
        verbose_name_plural = "后台进程心跳"

    def __str__(self) -> str:
        return self.worker
