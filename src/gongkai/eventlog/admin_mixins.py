"""Admin changes are state changes too: log them in the admin's own transaction."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms.models import model_to_dict

from gongkai.eventlog import actions
from gongkai.eventlog.services import record


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if hasattr(value, "read") or isinstance(value, models.fields.files.FieldFile):
        return str(value) or None
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    """Field values as JSON-friendly data (related objects by primary key)."""
    return {k: _plain(v) for k, v in model_to_dict(obj).items()}


class EventLoggedAdmin(admin.ModelAdmin):
    """Records admin.create / admin.update / admin.delete with before and after values."""

    def save_model(self, request, obj, form, change) -> None:
        before = None
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(stored) if stored is not None else None
        super().save_model(request, obj, form, change)
        record(
            action=actions.ADMIN_UPDATE if change else actions.ADMIN_CREATE,
            actor=request.user,
            obj=obj,
            before=before,
            after=snapshot(obj),
            request=request,
        )

    def delete_model(self, request, obj) -> None:
        record(
            action=actions.ADMIN_DELETE,
            actor=request.user,
            obj=obj,
            before=snapshot(obj),
            request=request,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
