"""The column tree (栏目) and the agency's disclosure settings, edited by the agency admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gongkai.agencies.access import can_write, has_role
from gongkai.agencies.models import Section
from gongkai.disclosure import access, selectors, services
from gongkai.disclosure.errors import DisclosureError
from gongkai.disclosure.models import Column
from gongkai.security.methods import allow
from gongkai.signoff.models import ChainTemplate, Purpose
from gongkai.workspace.agency_context import current_agency
from gongkai.workspace.views.common import render_page


class ColumnForm(forms.ModelForm):
    class Meta:
        model = Column
        fields = (
            "name",
            "parent",
            "kind",
            "position",
            "update_days",
            "chain_template",
            "owner_section",
            "no_content_statement",
            "active",
        )

    def __init__(self, *args: Any, agency: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Column.objects.filter(agency=agency, kind="group")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["chain_template"].queryset = ChainTemplate.objects.filter(
            purpose=Purpose.DISCLOSURE_ITEM, is_active=True
        ).filter(agency__in=[agency.pk]) | ChainTemplate.objects.filter(
            purpose=Purpose.DISCLOSURE_ITEM, is_active=True, agency__isnull=True
        )
        self.fields["owner_section"].queryset = Section.objects.filter(agency=agency, active=True)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if any(not ch.isprintable() for ch in name):
            raise forms.ValidationError("不能包含控制字符。")
        return name

    def clean_no_content_statement(self) -> str:
        text = self.cleaned_data["no_content_statement"]
        if any(not ch.isprintable() for ch in text):
            raise forms.ValidationError("不能包含控制字符。")
        return text


class SettingsForm(forms.Form):
    index_format = forms.CharField(label="索引号格式", max_length=60)
    sensitive_words = forms.CharField(
        label="敏感词（每行一个）",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_sensitive_words(self) -> str:
        text = self.cleaned_data["sensitive_words"]
        if any(not ch.isprintable() and ch not in "\r\n" for ch in text):
            raise forms.ValidationError("不能包含控制字符。")
        return text


def _admin_agency(request: HttpRequest) -> Any:
    agency = current_agency(request)
    if agency is None:
        raise Http404("您没有可以管理的机关。")
    return agency


@allow("GET")
@login_required
def column_tree(request: HttpRequest) -> HttpResponse:
    agency = _admin_agency(request)
    return render_page(
        request,
        "workspace/disclosure/column_tree.html",
        {
            "agency": agency,
            "tree": selectors.column_tree(agency),
            "is_admin": access.is_agency_admin(request.user, agency),
            "may_draft_guide": _may_draft(request.user, agency),
        },
        nav="columns",
    )


def _may_draft(user: Any, agency: Any) -> bool:
    """Whether the 生成指南草稿 button is offered (the verb checks again)."""
    if not can_write(user, agency):
        return False
    return user.is_superuser or any(has_role(user, agency, r) for r in services.PUBLISH_ROLES)


def _require_admin(request: HttpRequest, agency: Any) -> None:
    if not access.is_agency_admin(request.user, agency):
        raise Http404("只有本单位管理员可以修改栏目。")


@allow("GET", "POST")
@login_required
def column_create(request: HttpRequest) -> HttpResponse:
    agency = _admin_agency(request)
    _require_admin(request, agency)
    form = ColumnForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.create_column(
                agency, actor=request.user, name=data.pop("name"), kind=data.pop("kind"), **data
            )
        except DisclosureError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "栏目已新建。")
            return redirect(reverse("workspace:disclosure_columns"))
    return render_page(
        request,
        "workspace/disclosure/column_form.html",
        {"form": form, "agency": agency, "column": None},
        nav="columns",
    )


@allow("GET", "POST")
@login_required
def column_edit(request: HttpRequest, pk: int) -> HttpResponse:
    column = access.get_column_for_user(request.user, pk)
    _require_admin(request, column.agency)
    form = ColumnForm(request.POST or None, instance=column, agency=column.agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_column(column, actor=request.user, **form.cleaned_data)
        except DisclosureError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"栏目「{form.cleaned_data['name']}」已保存。")
            return redirect(reverse("workspace:disclosure_columns"))
    column.refresh_from_db()
    return render_page(
        request,
        "workspace/disclosure/column_form.html",
        {"form": form, "agency": column.agency, "column": column},
        nav="columns",
    )


@allow("GET", "POST")
@login_required
def disclosure_settings(request: HttpRequest) -> HttpResponse:
    agency = _admin_agency(request)
    _require_admin(request, agency)
    current = services.settings_for(agency)
    form = SettingsForm(
        request.POST or None,
        initial={"index_format": current.index_format, "sensitive_words": current.sensitive_words},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(agency, actor=request.user, **form.cleaned_data)
        except DisclosureError as error:
            form.add_error("index_format", error.message)
        else:
            messages.success(request, "主动公开设置已保存。")
            return redirect(reverse("workspace:disclosure_settings"))
    return render_page(
        request,
        "workspace/disclosure/settings.html",
        {"form": form, "agency": agency},
        nav="columns",
    )
