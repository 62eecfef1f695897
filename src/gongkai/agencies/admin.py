from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models, transaction
from django.utils import timezone

from gongkai.agencies.models import Agency, Membership, Region, Section, SupervisorGrant, User
from gongkai.eventlog.admin_mixins import EventLoggedAdmin


@admin.register(Region)
class RegionAdmin(EventLoggedAdmin):
    list_display = (
        "name",
        "level",
        "division_code",
        "parent",
        "path",
    )
    list_filter = ("level",)
    search_fields = (
        "name",
        "division_code",
    )
    readonly_fields = ("path",)

    def get_readonly_fields(self, request, obj=None):
        # The parent is part of the materialised path and cannot move.
        return ["path", "parent"] if obj else ["path"]


@admin.register(Agency)
class AgencyAdmin(EventLoggedAdmin):
    list_display = (
        "name",
        "short_name",
        "region",
        "credit_code",
        "active",
    )
    list_filter = (
        "active",
        "region__level",
    )
    search_fields = (
        "name",
        "short_name",
        "credit_code",
        "org_code",
    )
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # noqa: RUF012


@admin.register(Section)
class SectionAdmin(EventLoggedAdmin):
    list_display = (
        "name",
        "agency",
        "active",
    )
    search_fields = (
        "name",
        "agency__name",
    )
    list_select_related = ("agency",)


@admin.register(Membership)
class MembershipAdmin(EventLoggedAdmin):
    list_display = (
        "user",
        "agency",
        "role",
        "section",
        "active",
    )
    list_filter = (
        "role",
        "active",
    )
    search_fields = (
        "user__username",
        "user__display_name",
        "agency__name",
    )
    list_select_related = (
        "user",
        "agency",
        "section__agency",
    )
    autocomplete_fields = (
        "user",
        "agency",
    )


@admin.register(SupervisorGrant)
class SupervisorGrantAdmin(EventLoggedAdmin):
    list_display = (
        "user",
        "region",
        "active",
    )
    list_filter = ("active",)
    list_select_related = (
        "user",
        "region",
    )
    autocomplete_fields = (
        "user",
        "region",
    )


@admin.register(User)
class UserAdmin(EventLoggedAdmin, BaseUserAdmin):
    list_display = (
        "username",
        "display_name",
        "email",
        "is_active",
        "is_superuser",
    )
    search_fields = (
        "username",
        "display_name",
        "email",
    )
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("平台信息", {"fields": ("display_name",)}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("平台信息", {"fields": ("display_name",)}),
    )

    def user_change_password(self, request, id, form_url=""):
        # Django's password page is not atomic; the new hash and its event commit together.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)


# django-axes' own attempt admin: its "clean up expired attempts" action crashes outside a login
# request (axes reads request.axes_attempt_time) and would unlock accounts with no event. The
# replacement deletes the same rows through log_deletions, so every unlock is in the log.
if admin.site.is_registered(AccessAttempt):
    _AxesAttemptAdmin = type(admin.site.get_model_admin(AccessAttempt))
    admin.site.unregister(AccessAttempt)

    @admin.register(AccessAttempt)
    class AccessAttemptAdmin(_AxesAttemptAdmin):
        actions = ("cleanup_expired_attempts",)

        @admin.action(description="清除已过冷却期的登录失败记录", permissions=["delete"])
        def cleanup_expired_attempts(self, request, queryset):
            threshold = timezone.now() - settings.AXES_COOLOFF_TIME
            expired = AccessAttempt.objects.filter(attempt_time__lte=threshold)
            self.log_deletions(request, expired)
            count, _ = expired.delete()
            self.message_user(request, f"已清除 {count} 条过期的登录失败记录。")
