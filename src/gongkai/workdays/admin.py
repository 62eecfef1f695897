"""Admin for the calendar: read-only rows; changes go through the same import service."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from gongkai.security.forms import HardenedForm
from gongkai.workdays.importing import CalendarImportError, parse_bytes
from gongkai.workdays.models import CalendarYear, SpecialDay
from gongkai.workdays.services import bundled_schedule, import_year


class ImportForm(HardenedForm):
    file = forms.FileField(label="安排文件（JSON 或 CSV）")
    source = forms.CharField(
        label="依据通知",
        required=False,
        max_length=500,
        help_text="CSV 必填；JSON 中已有 source 时可留空。",
    )
    replace = forms.BooleanField(label="覆盖已载入的同一年份", required=False)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(SpecialDay)
class SpecialDayAdmin(ReadOnlyAdmin):
    list_display = (
        "date",
        "kind",
        "name",
        "source_notice",
    )
    list_filter = (
        "year",
        "kind",
    )
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = (
        "year",
        "source",
        "loaded_at",
        "loaded_by",
    )
    actions = ("reload_bundled",)
    change_list_template = "admin/workdays/calendaryear/change_list.html"

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Needed for admin actions; the change form itself has no editable fields.
        return request.user.is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return ["year", "source", "loaded_at", "loaded_by"]

    def get_urls(self):
        import_url = path(
            "import/",
            self.admin_site.admin_view(self.import_view),
            name="workdays_calendaryear_import",
        )
        return [import_url, *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_superuser:
            # PermissionError (the built-in) was a 500; PermissionDenied is Django's 403.
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                schedule = parse_bytes(
                    upload.read(), filename=upload.name, source=form.cleaned_data["source"] or None
                )
                loaded = import_year(
                    schedule, replace=form.cleaned_data["replace"], actor=request.user
                )
            except CalendarImportError as exc:
                errors = exc.errors
            else:
                messages.success(request, f"已导入 {loaded.year} 年节假日安排。")
                return HttpResponseRedirect(reverse("admin:workdays_calendaryear_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "导入节假日安排",
            "form": form,
            "import_errors": errors,
        }
        return TemplateResponse(request, "admin/workdays/import.html", context)

    @admin.action(description="用内置数据重新载入所选年份", permissions=["change"])
    def reload_bundled(self, request: HttpRequest, queryset) -> None:
        for loaded in queryset.order_by("year"):
            try:
                import_year(bundled_schedule(loaded.year), replace=True, actor=request.user)
            except CalendarImportError as exc:
                self.message_user(request, exc.message, level=messages.ERROR)
            else:
                self.message_user(request, f"已重新载入 {loaded.year} 年。")
