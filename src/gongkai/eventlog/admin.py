from django.contrib import admin

from gongkai.eventlog.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, nobody edits it, not even the system administrator."""

    list_display = (
        "seq",
        "created_at",
        "action_label",
        "actor_label",
        "agency",
        "object_repr",
    )
    list_filter = ("action",)
    search_fields = (
        "object_repr",
        "actor_label",
        "request_id",
        "action",
    )
    date_hierarchy = "created_at"
    list_select_related = ("agency",)

    @admin.display(description="事件")
    def action_label(self, obj: Event) -> str:
        return obj.action_label

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
