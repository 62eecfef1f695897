"""Supervision pages: the region board, collection batches, the queue, a report's review.

Thin views: access (404 for anything outside the user's regions or agency), validate with a
form, one service call, respond. Only supervisors reach the collection and review pages; an
agency's members reach their own reports read-only and their notices.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Agency, Region
from gongkai.law.report_format import FORMAT_2021, FORMATS, SECTION_KEYS
from gongkai.reportdoc.render_html import CSS as REPORT_CSS
from gongkai.reportdoc.render_html import cell_label, render_report
from gongkai.security.methods import allow
from gongkai.supervision import access, intake, services
from gongkai.supervision.auditing import corrected_report, valid_cells, with_report_findings
from gongkai.supervision.board import FILTERS, SORTS, build_board
from gongkai.supervision.changes import change_table
from gongkai.supervision.charts import heatmap_svg, ranking_svg
from gongkai.supervision.errors import SupervisionError
from gongkai.supervision.export import export_versions
from gongkai.supervision.models import FindingState, MatchState, ReportFile
from gongkai.supervision.selectors import batch_progress, queue_of
from gongkai.workspace.views.common import render_page
from gongkai.workspace.views.supervision_forms import (
    AssignForm,
    CorrectionForm,
    FetchForm,
    NoticeForm,
    ReviewForm,
    UploadForm,
)

YEARS_SHOWN = 3
HEATMAP_ROWS = 20
BOARD_PAGE = 100


def require_supervisor(request: HttpRequest) -> list[Region]:
    """The regions the user collects for; a page of supervision is a 404 to anyone else."""
    regions = list(access.grant_regions(request.user).order_by("path"))
    if not regions:
        raise Http404("没有找到该页面。")
    return regions


def chosen_region(request: HttpRequest, regions: list[Region]) -> Region:
    raw = request.POST.get("region") or request.GET.get("region")
    if raw:
        for region in regions:
            if str(region.pk) == raw:
                return region
        raise Http404("没有找到该区域。")
    return regions[0]


def _years(request: HttpRequest) -> list[int]:
    latest = timezone.localdate().year - 1  # year N's reports are published in N+1
    try:
        last = int(request.GET.get("year") or latest)
    except ValueError:
        last = latest
    last = min(max(last, 2010), latest + 1)
    return list(range(last - YEARS_SHOWN + 1, last + 1))


def _board_args(request: HttpRequest) -> dict[str, Any]:
    only = request.GET.get("only", "")
    sort = request.GET.get("sort", "name")
    return {
        "q": request.GET.get("q", "")[:60],
        "only": only if only in FILTERS else "",
        "sort": sort if sort in SORTS else "name",
    }


@allow("GET")
@login_required
def board(request: HttpRequest) -> HttpResponse:
    regions = require_supervisor(request)
    region = chosen_region(request, regions)
    years = _years(request)
    args = _board_args(request)
    data = build_board(region, years, **args)
    page = Paginator(data.rows, BOARD_PAGE).get_page(request.GET.get("page"))
    ranking = data.ranking[:HEATMAP_ROWS]
    names = {row.agency.pk: row.agency.display_name for row in data.rows}
    heat_rows = [
        (names[row.agency.pk], data.heatmap.get(row.agency.pk, {}))
        for row in ranking
        if row.agency.pk in data.heatmap
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "workspace/supervision/board.html",
        {
            "regions": regions,
            "region": region,
            "years": years,
            "year": years[-1],
            "board": data,
            "page": page,
            "filters": FILTERS,
            "sorts": SORTS,
            "args": args,
            "query": query.urlencode(),
            "ranking": ranking,
            "ranking_svg": ranking_svg(
                [(r.agency.display_name, r.errors, r.warnings) for r in ranking]
            ),
            "heatmap_svg": heatmap_svg(heat_rows, data.heatmap_rules),
            "queue_count": queue_of(
                access.files_supervised_by(request.user).filter(region=region)
            ).count(),
        },
        nav="supervision",
    )


@allow("GET")
@login_required
def export(request: HttpRequest) -> HttpResponse:
    regions = require_supervisor(request)
    region = chosen_region(request, regions)
    years = _years(request)
    data = build_board(region, years, **_board_args(request))
    ids = [c.version_id for row in data.rows for c in row.cells if c.version_id]
    response = HttpResponse(
        export_versions(ids),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"supervision-{region.pk}-{years[0]}-{years[-1]}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@allow("GET", "POST")
@login_required
def batches(request: HttpRequest) -> HttpResponse:
    regions = require_supervisor(request)
    region = chosen_region(request, regions)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        # a file over the limit is refused by its declared size, before it is read into memory
        max_bytes = intake.limits().max_file_bytes
        files = form.cleaned_data["files"]
        uploads = [(f.name, f.read()) for f in files if f.size <= max_bytes]
        too_big = [
            intake.Refused(f.name, f"文件超过 {max_bytes // intake.MB} MB 的上限")
            for f in files
            if f.size > max_bytes
        ]
        try:
            result = services.receive_uploads(
                actor=request.user, region=region, uploads=uploads, title=form.cleaned_data["title"]
            )
        except SupervisionError as exc:
            messages.error(request, exc.message)
        else:
            result.refused[:0] = too_big
            _report_upload(request, result)
            if result.batch is not None:
                return redirect(reverse("workspace:supervision_batch", args=[result.batch.pk]))
            return redirect(reverse("workspace:supervision_batches") + f"?region={region.pk}")
    listed = list(
        access.batches_visible_to(request.user)
        .filter(region__path__startswith=region.path)
        .select_related("created_by")
        .order_by("-created_at", "-pk")[:50]
    )
    return render_page(
        request,
        "workspace/supervision/batches.html",
        {
            "regions": regions,
            "region": region,
            "form": form,
            "fetch_form": FetchForm(),
            "batches": [(b, batch_progress(b)) for b in listed],
        },
        nav="supervision",
        status=400 if request.method == "POST" else 200,
    )


def _report_upload(request: HttpRequest, result: services.UploadResult) -> None:
    if result.received:
        messages.success(request, f"已收到 {len(result.received)} 个文件，正在后台读取和检查。")
    if result.duplicates:
        messages.warning(
            request, f"{len(result.duplicates)} 个文件此前已收到（内容完全相同），未重复添加。"
        )
    for refused in result.refused[:20]:
        messages.error(request, f"{refused.name}：{refused.reason}")
    if len(result.refused) > 20:
        messages.error(request, f"另有 {len(result.refused) - 20} 个文件未能接收。")


@allow("POST")
@login_required
def fetch(request: HttpRequest) -> HttpResponse:
    regions = require_supervisor(request)
    region = chosen_region(request, regions)
    form = FetchForm(request.POST)
    back = reverse("workspace:supervision_batches") + f"?region={region.pk}"
    if not form.is_valid():
        messages.error(request, "请填写有效的 http 或 https 网址（不超过 1000 个字符）。")
        return redirect(back)
    try:
        batch = services.request_fetch(
            actor=request.user, region=region, url=form.cleaned_data["url"]
        )
    except SupervisionError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, "已开始在后台抓取该网址的年报。")
    return redirect(reverse("workspace:supervision_batch", args=[batch.pk]))


@allow("GET")
@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_supervisor(request)
    batch = access.get_batch_for_user(request.user, pk)
    files = (
        batch.files.select_related("agency", "version")
        .order_by("pk")
        .only(
            "pk", "name", "status", "error", "agency__name", "year", "match_state", "read_agency",
            "version__id", "version__errors", "version__warnings", "version__notices",
        )
    )  # fmt: skip
    page = Paginator(files, 100).get_page(request.GET.get("page"))
    return render_page(
        request,
        "workspace/supervision/batch.html",
        {"batch": batch, "progress": batch_progress(batch), "page": page},
        nav="supervision",
    )


@allow("GET")
@login_required
def batch_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_supervisor(request)
    batch = access.get_batch_for_user(request.user, pk)
    return render(
        request,
        "workspace/supervision/_progress.html",
        {"batch": batch, "progress": batch_progress(batch)},
    )


@allow("GET")
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    regions = require_supervisor(request)
    region = chosen_region(request, regions)
    files = list(queue_of(access.files_supervised_by(request.user).filter(region=region))[:200])
    agencies = list(
        Agency.objects.filter(region__path__startswith=region.path).order_by("region__path", "name")
    )
    return render_page(
        request,
        "workspace/supervision/queue.html",
        {
            "regions": regions,
            "region": region,
            "files": files,
            "agencies": agencies,
            "this_year": timezone.localdate().year - 1,
        },
        nav="supervision",
    )


@allow("POST")
@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    require_supervisor(request)
    report_file = access.get_file_for_supervisor(request.user, pk)
    form = AssignForm(request.POST)
    back = reverse("workspace:supervision_queue") + f"?region={report_file.region_id}"
    if not form.is_valid():
        messages.error(request, "请选择机关并填写有效的年度。")
        return redirect(back)
    agency = Agency.objects.filter(
        pk=form.cleaned_data["agency"], region__path__startswith=report_file.region.path
    ).first()
    if agency is None:
        messages.error(request, "只能指定本监督区域内的机关。")
        return redirect(back)
    try:
        services.assign_file(
            report_file, actor=request.user, agency=agency, year=form.cleaned_data["year"]
        )
    except SupervisionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"已将「{report_file.name}」指定为{agency.name}{form.cleaned_data['year']}年度报告。",
        )
    return redirect(back)


# --- one report --------------------------------------------------------------------------------


@allow("GET")
@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    version = access.get_version_for_user(request.user, pk)
    can_review = access.can_supervise(request.user, version.file.region)
    fmt = FORMATS.get(version.format or "", FORMAT_2021)
    findings = list(
        version.findings.filter(active=True).select_related("reviewed_by").order_by("pk")
    )
    if not can_review:  # an agency sees what the supervisor kept, not the raw worklist
        findings = [f for f in findings if f.state != FindingState.DISMISSED]
    for f in findings:
        f.cell_labels = [_cell_words(c, fmt) for c in f.cells[:8]]
    rendered = with_report_findings(version)
    corrections = list(version.corrections.select_related("created_by").order_by("-pk"))
    changes = []
    if version.previous is not None:
        changes = change_table(corrected_report(version), corrected_report(version.previous))
    cells = sorted(valid_cells(fmt.id))
    return render_page(
        request,
        "workspace/supervision/report.html",
        {
            "version": version,
            "report_file": version.file,
            "findings": findings,
            "can_review": can_review,
            "tables_html": render_report(rendered, standalone=False, findings=False, prose=False),
            "report_css": REPORT_CSS,
            "corrections": corrections,
            "changes": changes,
            "cell_options": [(c, cell_label(c, fmt)) for c in cells],
            "notice_form": NoticeForm(),
            "notice_ready": can_review
            and any(
                f.state in {FindingState.CONFIRMED, FindingState.FOR_CORRECTION} for f in findings
            ),
            "states": FindingState,
            "match_states": MatchState,
        },
        nav="supervision" if can_review else "notices",
    )


@allow("POST")
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    require_supervisor(request)
    finding = access.get_finding_for_supervisor(request.user, pk)
    back = (
        reverse("workspace:supervision_report", args=[finding.version_id])
        + f"#finding-{finding.pk}"
    )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "审阅操作无效（理由不超过 500 字）。")
        return redirect(back)
    try:
        services.review_finding(
            finding,
            actor=request.user,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
        )
    except SupervisionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"问题 {finding.rule} 已标记为「{FindingState(form.cleaned_data['to']).label}」。",
        )
    return redirect(back)


@allow("POST")
@login_required
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    require_supervisor(request)
    version = access.get_version_for_user(request.user, pk)
    if not access.can_supervise(request.user, version.file.region):
        raise Http404("没有找到该报告。")
    back = reverse("workspace:supervision_report", args=[version.pk]) + "#corrections"
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择单元格，填写更正值和理由（不超过 500 字）。")
        return redirect(back)
    try:
        services.correct_cell(version, actor=request.user, **form.cleaned_data)
    except SupervisionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已保存更正，并按更正后的表格重新检查。")
    return redirect(back)


_SECTION_WORDS = dict(zip(SECTION_KEYS, ("一", "二", "三", "四", "五", "六"), strict=True))


def _cell_words(path: str, fmt: Any) -> str:
    """A cell in the words of the form; a section (rule C1) as 「第五部分」."""
    if path.startswith("sections."):
        ordinal = _SECTION_WORDS.get(path.removeprefix("sections."))
        return f"第{ordinal}部分" if ordinal else path
    return cell_label(path, fmt)


def file_for_download(request: HttpRequest, pk: int) -> ReportFile:
    version = access.get_version_for_user(request.user, pk)
    return version.file


@allow("GET")
@login_required
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file as received, for a person to check a figure against the original."""
    received = file_for_download(request, pk)
    try:
        with received.content.open("rb") as fh:
            data = fh.read()
    except OSError:
        raise Http404("原件已不在存储中。") from None
    types = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    # HTML and text are served as plain text: a received page must never run in our origin
    response = HttpResponse(
        data, content_type=types.get(received.kind, "text/plain; charset=utf-8")
    )
    ext = received.kind if received.kind in types else "txt"
    response["Content-Disposition"] = f'attachment; filename="report-{received.pk}.{ext}"'
    return response
