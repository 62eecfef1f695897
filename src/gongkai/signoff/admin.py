"""Admin: chain templates are configured here; chains and decisions are read-only evidence.

Statuses change only through ``signoff.services``, so the admin never edits a chain, a step or
a decision.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from gongkai.eventlog.admin_mixins import EventLoggedAdmin, snapshot
from gongkai.signoff.models import (
    Chain,
    ChainTemplate,
    EditorGrant,
    RevisionNote,
    Step,
    StepDecision,
    StepTemplate,
)


class StepTemplateInline(admin.TabularInline):
    model = StepTemplate
    extra = 0
    min_num = 1
    ordering = ("order",)


@admin.register(ChainTemplate)
class ChainTemplateAdmin(EventLoggedAdmin):
    list_display = ("name", "purpose", "agency", "is_active")
    list_filter = ("purpose", "is_active")
    search_fields = ("name", "agency__name")
    inlines = (StepTemplateInline,)

    def audit_snapshot(self, obj: Any) -> dict[str, Any]:
        # The steps are what matters in a template: the event shows them before and after.
        return snapshot(obj) | {"steps": [snapshot(step) for step in obj.steps.order_by("order")]}


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = ("round", "order", "name", "role", "status", "decided_by", "decided_at", "comment")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Chain)
class ChainAdmin(ReadOnlyAdmin):
    list_display = ("title", "agency", "purpose", "status", "round", "submitted_by", "created_at")
    list_filter = ("status", "purpose")
    search_fields = ("title", "agency__name", "submitted_by__username")
    inlines = (StepInline,)


@admin.register(StepDecision)
class StepDecisionAdmin(ReadOnlyAdmin):
    list_display = ("step", "actor", "on_behalf_of", "decision", "at", "revision_hash")
    list_filter = ("decision",)


@admin.register(RevisionNote)
class RevisionNoteAdmin(ReadOnlyAdmin):
    list_display = ("revision_hash", "content_type", "object_id", "author", "noted_at")


@admin.register(EditorGrant)
class EditorGrantAdmin(EventLoggedAdmin):
    """Named editors (agency admins use services.name_editor; the sysadmin may fix rows here)."""

    list_display = ("user", "agency", "section", "active", "granted_by", "granted_at")
    list_filter = ("active",)
    list_select_related = ("user", "agency", "section", "granted_by")
    autocomplete_fields = ("user", "agency")
    readonly_fields = ("granted_by", "granted_at")
