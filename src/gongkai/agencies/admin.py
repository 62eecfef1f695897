from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models

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
