"""Admin changes are state changes too: every one becomes an event in the admin's transaction.

The hooks are Django's own ``log_addition`` / ``log_change`` / ``log_deletions``, which every stock
admin view calls — the add and change forms, the delete page, the ``delete_selected`` action, the
list-editable change list, and ``UserAdmin``'s password page — so a password reset, a group's
permissions or an unlock (deleting a django-axes attempt) cannot bypass the log. The admin site
(``admin_site.AuditedAdminSite``) mixes ``AuditedAdminMixin`` into every ModelAdmin registered,
ours and third-party (auth's GroupAdmin, axes'), so a future model cannot slip by either;
tests/eventlog/test_admin_audit.py walks the registry to prove it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.forms.models import model_to_dict

from gongkai.eventlog import actions
from gongkai.eventlog.services import record
from gongkai.security.text import has_forbidden_chars
from gongkai.security.validators import validate_no_control_chars

SEARCH_MAX = 200


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return sorted((_plain(v) for v in value), key=str)
    if hasattr(value, "read") or isinstance(value, models.fields.files.FieldFile):
        return str(value) or None
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    """Field values as JSON-friendly data (related objects, many-to-many too, by primary key)."""
    return {k: _plain(v) for k, v in model_to_dict(obj).items()}


def _message_text(message: Any) -> Any:
    # Django passes a list of change dicts (or a plain string from UserAdmin's password page).
    return message if isinstance(message, list | str) else str(message)


class AuditedAdminMixin:
    """Records admin.create / admin.update / admin.delete with before and after values."""

    def audit_snapshot(self, obj: Any) -> dict[str, Any]:
        """What the event keeps of ``obj``; override to add related rows (inlines)."""
        return snapshot(obj)

    def _before_store(self, request: Any) -> dict[tuple[str, str], dict[str, Any]]:
        store = getattr(request, "_gongkai_admin_before", None)
        if store is None:
            store = {}
            request._gongkai_admin_before = store
        return store

    def get_object(self, request: Any, object_id: Any, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is not None:
            self._before_store(request)[(obj._meta.label, str(obj.pk))] = self.audit_snapshot(obj)
        return obj

    def log_addition(self, request: Any, obj: Any, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)  # type: ignore[misc]
        record(
            action=actions.ADMIN_CREATE,
            actor=request.user,
            obj=obj,
            after=self.audit_snapshot(obj) | {"_message": _message_text(message)},
            request=request,
        )
        return entry

    def log_change(self, request: Any, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)  # type: ignore[misc]
        before = self._before_store(request).pop((obj._meta.label, str(obj.pk)), None)
        # Re-read: the m2m fields (groups, permissions) were saved after the object.
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() or obj
        after = self.audit_snapshot(stored)
        changed = sorted(k for k in after if before is None or before.get(k) != after.get(k))
        record(
            action=actions.ADMIN_UPDATE,
            actor=request.user,
            obj=obj,
            before=before,
            after=after | {"_changed": changed, "_message": _message_text(message)},
            request=request,
        )
        return entry

    def log_deletions(self, request: Any, queryset: Any) -> Any:
        objects = list(queryset)
        for obj in objects:
            record(
                action=actions.ADMIN_DELETE,
                actor=request.user,
                obj=obj,
                before=self.audit_snapshot(obj),
                request=request,
            )
        return super().log_deletions(request, objects)  # type: ignore[misc]

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        # Admin text inputs follow the same rule as the workspace: no control characters
        # (Django refuses only NUL), so the log and the pages never carry them.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if isinstance(field, forms.CharField) and validate_no_control_chars not in field.validators:
            field.validators.append(validate_no_control_chars)
        return field

    def get_search_results(self, request: Any, queryset: Any, search_term: str) -> Any:
        # Every admin's search box: SQLite refuses LIKE patterns over 50,000 bytes and
        # PostgreSQL refuses NUL, both as a 500; no real search term looks like either.
        if len(search_term) > SEARCH_MAX or has_forbidden_chars(search_term):
            self.message_user(  # type: ignore[attr-defined]
                request,
                f"检索词过长（最多 {SEARCH_MAX} 个字符）或含有控制字符，未检索。",
                messages.WARNING,
            )
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]

    def response_action(self, request: Any, queryset: Any) -> Any:
        # Stock delete_selected and our own actions: the change and its events commit together.
        with transaction.atomic():
            return super().response_action(request, queryset)  # type: ignore[misc]


class EventLoggedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Base class of our own ModelAdmins (the site would mix the auditing in anyway)."""
