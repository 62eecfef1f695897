"""告知书模板: the agency administrator lists, downloads, uploads and reverts the DOCX templates
of the notice letters (docs/applications.md, 「告知书模板」)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse

from gongkai.applications import docx_templates, services
from gongkai.applications.errors import ApplicationError
from gongkai.applications.models import LetterTemplate
from gongkai.security.methods import allow
from gongkai.workspace.agency_context import current_agency
from gongkai.workspace.views.common import render_page

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label="DOCX 模板文件")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > docx_templates.MAX_TEMPLATE_BYTES:
            raise forms.ValidationError(
                f"模板文件过大（最大 {docx_templates.MAX_TEMPLATE_BYTES // 1024 // 1024} MB）。"
            )
        return upload


def _admin_agency(request: HttpRequest) -> Any:
    agency = current_agency(request)
    if agency is None or not services.may_manage_templates(request.user, agency):
        raise Http404("只有单位管理员可以管理告知书模板。")
    return agency


def _key(key: str) -> Any:
    spec = docx_templates.template_keys().get(key)
    if spec is None:
        raise Http404("没有该告知书模板。")
    return spec


def _rows(agency: Any) -> list[dict[str, Any]]:
    """Every template key with its active version and its history (one query)."""
    versions: dict[str, list[LetterTemplate]] = {}
    for row in (
        LetterTemplate.objects.filter(agency=agency)
        .defer("content")
        .select_related("uploaded_by")
        .order_by("key", "-version")
    ):
        versions.setdefault(row.key, []).append(row)
    return [
        {
            "spec": spec,
            "active": next((v for v in versions.get(spec.key, []) if v.active), None),
            "versions": versions.get(spec.key, []),
        }
        for spec in docx_templates.template_keys().values()
    ]


def _page(
    request: HttpRequest, agency: Any, form: Any = None, form_key: str = "", status: int = 200
):
    return render_page(
        request,
        "workspace/applications/templates.html",
        {
            "agency": agency,
            "rows": _rows(agency),
            "variables": docx_templates.VARIABLES,
            "form": form or TemplateUploadForm(),
            "form_key": form_key,
            "max_mb": docx_templates.MAX_TEMPLATE_BYTES // 1024 // 1024,
        },
        nav="applications",
        status=status,
    )


@allow("GET")
@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    return _page(request, _admin_agency(request))


@allow("GET")
@login_required
def template_download(request: HttpRequest, key: str) -> HttpResponse:
    """The template in use (the agency's active version, else the default); ?default=1 gives
    the default, ?version=N an earlier upload."""
    agency = _admin_agency(request)
    spec = _key(key)
    version = request.GET.get("version", "")
    rows = LetterTemplate.objects.filter(agency=agency, key=key)
    if request.GET.get("default") == "1":
        content, suffix = docx_templates.build_default(key), "默认"
    else:
        row = (
            rows.filter(version=int(version)).first()
            if version.isdigit()
            else rows.filter(active=True).first()
        )
        if version and row is None:
            raise Http404("没有该版本。")
        if row is None:
            content, suffix = docx_templates.build_default(key), "默认"
        else:
            content, suffix = bytes(row.content), f"第{row.version}版"
    name = f"{spec.label}（{suffix}）.docx"
    response = HttpResponse(content, content_type=DOCX_MIME)
    response["Content-Disposition"] = (
        f"attachment; filename=\"template-{key}.docx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@allow("POST")
@login_required
def template_upload(request: HttpRequest, key: str) -> HttpResponse:
    agency = _admin_agency(request)
    spec = _key(key)
    form = TemplateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            template = services.upload_letter_template(
                actor=request.user,
                agency=agency,
                key=key,
                data=upload.read(),
                filename=upload.name,
            )
        except ApplicationError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, f"已启用「{spec.label}」第 {template.version} 版模板。")
            return redirect(reverse("workspace:letter_templates") + f"#t-{key}")
    return _page(request, agency, form=form, form_key=key, status=400)


@allow("POST")
@login_required
def template_revert(request: HttpRequest, key: str) -> HttpResponse:
    agency = _admin_agency(request)
    spec = _key(key)
    try:
        services.revert_letter_template(actor=request.user, agency=agency, key=key)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"「{spec.label}」已恢复为默认模板。")
    return redirect(reverse("workspace:letter_templates") + f"#t-{key}")


urlpatterns = [
    path("applications/templates/", template_list, name="letter_templates"),
    path(
        "applications/templates/<str:key>/download/",
        template_download,
        name="letter_template_download",
    ),
    path(
        "applications/templates/<str:key>/upload/", template_upload, name="letter_template_upload"
    ),
    path(
        "applications/templates/<str:key>/revert/", template_revert, name="letter_template_revert"
    ),
]
