"""Read-only admin lists: supervision changes go through the verbs (and their events) only."""

from __future__ import annotations

from django.contrib import admin

from gongkai.supervision.models import Batch, Finding, Notice, ReportFile, ReportVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ("title", "region", "source", "created_by", "created_at")
    list_filter = ("source",)


@admin.register(ReportFile)
class ReportFileAdmin(ReadOnlyAdmin):
    list_display = ("name", "region", "status", "agency", "year", "match_state", "created_at")
    list_filter = ("status", "match_state")
    search_fields = ("name", "read_agency", "sha256")
    list_select_related = ("region", "agency")


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "agency", "year", "is_current", "errors", "warnings", "late")
    list_filter = ("is_current", "late", "year")
    list_select_related = ("agency", "file")
    exclude = ("report_json",)


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("rule", "severity", "agency", "state", "active", "reviewed_by")
    list_filter = ("rule", "severity", "state", "active")
    list_select_related = ("agency", "reviewed_by")


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "agency", "year", "state", "created_at")
    list_filter = ("state",)
    list_select_related = ("agency",)
