"""年度报告: the report page (tables with drill-down, findings, sections, overrides, submit,
versions), downloads, and a region's combined statistics for a supervisor. Thin views: access,
validate, one verb, respond."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from gongkai.agencies.access import can_write
from gongkai.annual import cells, compute, render, services
from gongkai.annual.access import get_report_for_user, reports_visible_to
from gongkai.annual.document import to_report
from gongkai.annual.errors import AnnualError
from gongkai.annual.models import EDITED_SECTIONS
from gongkai.annual.reminders import standings
from gongkai.disclosure.register import region_agencies
from gongkai.reportdoc.model import Report
from gongkai.reportdoc.render_html import cell_label, render_findings, render_report
from gongkai.security.methods import allow
from gongkai.security.text import TextRefusedError
from gongkai.signoff.errors import SignoffError
from gongkai.signoff.selectors import chains_for
from gongkai.workspace.agency_context import current_agency
from gongkai.workspace.views.common import render_page
from gongkai.workspace.views.supervision import chosen_region, require_supervisor

MAX_LISTED = 500
SECTION_LABELS = {
    "overview": "一、总体情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
_CELL = re.compile(
    r'(<td class="[^"]*" data-cell="(table[234]\.[a-z_]+\.[a-z_]+)"[^>]*>)([^<]*)</td>'
)


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2008, max_value=2100)


class SectionForm(forms.Form):
    key = forms.ChoiceField(choices=[(k, k) for k in EDITED_SECTIONS])
    text = forms.CharField(required=False, max_length=services.SECTION_MAX)


class OverrideForm(forms.Form):
    cell = forms.CharField(max_length=80)
    value = forms.CharField(required=False, max_length=30)
    reason = forms.CharField(required=False, max_length=services.REASON_MAX)


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET or None)
    return form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year - 1


def _linked_tables(html: str, base: str) -> str:
    """Each figure links to the list of records it counts."""

    def link(match: re.Match[str]) -> str:
        head, path, text = match.groups()
        if not text:
            return match.group(0)
        return f'{head}<a href="{base}?cell={escape(path)}">{text}</a></td>'

    return _CELL.sub(link, html)


def _writer_or_404(request: HttpRequest, report: Any) -> None:
    if not services.may_write(request.user, report):
        raise Http404("没有找到该页面。")


def _back(report: Any) -> HttpResponse:
    return redirect(reverse("workspace:annual_report", args=[report.pk]))


def _run(request: HttpRequest, report: Any, verb: Any, ok: str, **kwargs: Any) -> HttpResponse:
    _writer_or_404(request, report)
    try:
        verb(report, actor=request.user, **kwargs)
    except (AnnualError, TextRefusedError) as exc:
        messages.error(request, str(exc))
    except SignoffError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok)
    return _back(report)


@allow("GET", "POST")
@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if agency is None:
        raise Http404("您没有可以管理的机关。")
    if request.method == "POST":
        if not can_write(request.user, agency):
            raise Http404("没有找到该页面。")
        form = YearForm(request.POST)
        if not form.is_valid():
            messages.error(request, "年度应为 2008–2100 之间的年份。")
            return redirect(reverse("workspace:annual_reports"))
        try:
            report = services.generate_draft(
                actor=request.user, agency=agency, year=form.cleaned_data["year"]
            )
        except AnnualError as exc:
            messages.error(request, str(exc))
            return redirect(reverse("workspace:annual_reports"))
        messages.success(request, f"已按当前数据生成 {report.year} 年度报告草稿。")
        return _back(report)
    reports = (
        reports_visible_to(request.user)
        .filter(agency=agency, region__isnull=True)
        .order_by("-year")
    )
    return render_page(
        request,
        "workspace/annual/list.html",
        {"agency": agency, "reports": reports, "year": timezone.localdate().year - 1},
        nav="annual",
    )


@allow("GET")
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    doc = to_report(report)
    tables = render_report(doc, standalone=False, findings=False, prose=False)
    base = reverse("workspace:annual_cell", args=[report.pk])
    overrides = [
        {"path": p, "label": cell_label(p), **o} for p, o in sorted(report.overrides.items())
    ]
    from gongkai.law.findings import Finding, Severity  # noqa: PLC0415

    findings = [
        Finding(f["rule"], Severity(f["severity"]), f["message"], tuple(f.get("cells", ())))
        for f in report.findings
    ]
    return render_page(
        request,
        "workspace/annual/detail.html",
        {
            "report": report,
            "tables": mark_safe(_linked_tables(tables, base)),  # noqa: S308 (escaped by renderer)
            "findings_html": mark_safe(render_findings(findings)),  # noqa: S308
            "sections": [
                (k, SECTION_LABELS[k], report.sections.get(k, "")) for k in EDITED_SECTIONS
            ],
            "overrides": overrides,
            "versions": report.versions.select_related("actor")[:50],
            "chains": chains_for(report)[:10],
            "can_edit": services.may_write(request.user, report),
            "revision": report.signoff_revision(),
            "formats": ("pdf", "docx", "html", "json"),
            "public_url": _public_url(report),
        },
        nav="annual",
    )


def _public_url(report: Any) -> str:
    """The report's page in the portal's 年报 column, once it is public."""
    if report.status != "published" or report.published_item_id is None:
        return ""
    try:
        return reverse("portal:item", args=[report.agency_id, report.published_item_id])
    except NoReverseMatch:  # the portal is not mounted in this deployment
        return ""


@allow("POST")
@login_required
def report_refreeze(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    return _run(request, report, services.refreeze, "已按当前数据重新统计。")


@allow("POST")
@login_required
def report_section(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    form = SectionForm(request.POST)
    if not form.is_valid():
        _writer_or_404(request, report)
        messages.error(request, "正文不超过 20000 字。")
        return _back(report)
    data = form.cleaned_data
    return _run(
        request, report, services.edit_section, "正文已保存。", key=data["key"], text=data["text"]
    )


@allow("POST")
@login_required
def report_override(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        _writer_or_404(request, report)
        messages.error(request, "请填写单元格、数值和理由。")
        return _back(report)
    data = form.cleaned_data
    if not data["value"].strip():
        return _run(request, report, services.clear_override, "已恢复计算值。", path=data["cell"])
    return _run(
        request,
        report,
        services.override_cell,
        "统计数已修改，理由将显示给每一位审核人。",
        path=data["cell"],
        value=data["value"],
        reason=data["reason"],
    )


@allow("POST")
@login_required
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    revision = request.POST.get("revision_hash", "")[:64]
    return _run(request, report, services.submit, "已送审。", revision_hash=revision)


@allow("POST")
@login_required
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    return _run(
        request,
        report,
        services.request_publication,
        "正在发布到“政府信息公开年报”栏目，完成后本页显示“已公开”。",
    )


@allow("GET")
@login_required
def report_cell(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    path_ = (request.GET.get("cell") or "")[:80]
    try:
        kind, records = cells.cell_records(report, path_)
    except cells.NoDetailError:
        kind, records = "", None
    # a combined report drills down to the agencies' figures, not to other agencies' cases
    listed = records is not None and not report.combined
    rows = list(records.select_related()[:MAX_LISTED]) if listed else []
    return render_page(
        request,
        "workspace/annual/cell.html",
        {
            "report": report,
            "cell": path_,
            "label": cell_label(path_) if records is not None else path_,
            "value": _value(report.tables, path_),
            "override": report.overrides.get(path_),
            "kind": kind,
            "rows": rows,
            "count": records.count() if records is not None else None,
            "truncated": listed and len(rows) == MAX_LISTED,
            "figures": cells.agency_figures(report, path_) if report.combined else None,
        },
        nav="annual",
    )


def _value(tables: dict[str, Any], path_: str) -> Any:
    parts = path_.split(".")
    if len(parts) != 3:
        return None
    return tables.get(parts[0], {}).get(parts[1], {}).get(parts[2])


@allow("GET")
@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    if fmt not in render.FORMATS:
        raise Http404("没有这种格式。")
    response = HttpResponse(render.render(report, fmt), content_type=render.CONTENT_TYPES[fmt])
    from urllib.parse import quote  # noqa: PLC0415

    name = quote(render.filename(report, fmt))
    response["Content-Disposition"] = (
        f"attachment; filename=\"report.{fmt}\"; filename*=UTF-8''{name}"
    )
    return response


@allow("GET")
@login_required
def region_statistics(request: HttpRequest) -> HttpResponse:
    """A region's combined tables (every agency below it) and which reports are late."""
    regions = require_supervisor(request)
    region = chosen_region(request, regions)
    year = _year(request)
    agencies = region_agencies(region)
    combined = Report(
        format="2021",
        agency=f"{region.name}（汇总）",
        year=year,
        **compute.compute_tables(list(agencies), region, year),
    )
    today = timezone.localdate()
    rows = standings(agencies, year)
    combined_report = reports_visible_to(request.user).filter(region=region, year=year).first()
    return render_page(
        request,
        "workspace/annual/region.html",
        {
            "regions": regions,
            "region": region,
            "year": year,
            "combined": combined_report,
            "offices": services.office_choices(request.user, region),
            "tables": mark_safe(  # noqa: S308 (escaped by the renderer)
                render_report(combined, standalone=False, findings=False, prose=False)
            ),
            "rows": rows,
            "late": [s for s in rows if s.late or s.overdue(today)],
            "today": today,
        },
        nav="annual_region",
    )


class CombinedForm(forms.Form):
    region = forms.IntegerField()
    year = forms.IntegerField(min_value=2008, max_value=2100)
    office = forms.IntegerField()


@allow("POST")
@login_required
def combined_generate(request: HttpRequest) -> HttpResponse:
    """A supervisor generates (or refreezes) the region's combined report, in the name of an
    agency of that region they work in (the supervising office that will publish it)."""
    regions = require_supervisor(request)
    region = chosen_region(request, regions)
    form = CombinedForm(request.POST)
    back = reverse("workspace:annual_region") + f"?region={region.pk}"
    if not form.is_valid():
        messages.error(request, "请选择年度（2008–2100）和发布汇总报告的机关。")
        return redirect(back)
    year = form.cleaned_data["year"]
    office = next(
        (
            a
            for a in services.office_choices(request.user, region)
            if a.pk == form.cleaned_data["office"]
        ),
        None,
    )
    if office is None:
        messages.error(request, "请选择您所在的本级机关作为发布机关。")
        return redirect(f"{back}&year={year}")
    try:
        report = services.generate_combined(
            actor=request.user, region=region, year=year, office=office
        )
    except AnnualError as exc:
        messages.error(request, str(exc))
        return redirect(f"{back}&year={year}")
    messages.success(request, f"已按当前数据生成{region.name} {year} 年度汇总报告草稿。")
    return _back(report)


urlpatterns = [
    path("annual/", report_list, name="annual_reports"),
    path("annual/region/", region_statistics, name="annual_region"),
    path("annual/region/combined/", combined_generate, name="annual_combined"),
    path("annual/<int:pk>/", report_detail, name="annual_report"),
    path("annual/<int:pk>/refreeze/", report_refreeze, name="annual_refreeze"),
    path("annual/<int:pk>/section/", report_section, name="annual_section"),
    path("annual/<int:pk>/override/", report_override, name="annual_override"),
    path("annual/<int:pk>/submit/", report_submit, name="annual_submit"),
    path("annual/<int:pk>/publish/", report_publish, name="annual_publish"),
    path("annual/<int:pk>/cell/", report_cell, name="annual_cell"),
    path("annual/<int:pk>/report.<str:fmt>", report_download, name="annual_download"),
]
