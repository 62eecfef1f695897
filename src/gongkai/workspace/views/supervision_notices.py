"""Rectification notices: sent by a supervisor from a report's confirmed findings, answered
by the agency (with its corrected report, which is read and audited again)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gongkai.agencies.access import can_write
from gongkai.security.methods import allow
from gongkai.supervision import access, services
from gongkai.supervision.documents import notice_docx, notice_lines, notice_pdf, notice_title
from gongkai.supervision.errors import SupervisionError
from gongkai.supervision.models import OPEN_NOTICE_STATES
from gongkai.workspace.views.common import render_page
from gongkai.workspace.views.supervision import require_supervisor
from gongkai.workspace.views.supervision_forms import AnswerForm, NoticeForm


@allow("GET")
@login_required
def notices(request: HttpRequest) -> HttpResponse:
    listed = list(
        access.notices_visible_to(request.user)
        .select_related("agency")
        .annotate(finding_count=Count("findings"))
        .order_by("-created_at", "-pk")[:200]
    )
    return render_page(
        request,
        "workspace/supervision/notices.html",
        {"notices": listed, "open_states": OPEN_NOTICE_STATES},
        nav="notices",
    )


@allow("POST")
@login_required
def notice_create(request: HttpRequest, pk: int) -> HttpResponse:
    require_supervisor(request)
    version = access.get_version_for_user(request.user, pk)
    if not access.can_supervise(request.user, version.file.region):
        raise Http404("没有找到该报告。")
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "整改要求不超过 1000 字，期限应为有效日期。")
        return redirect(reverse("workspace:supervision_report", args=[version.pk]))
    try:
        notice = services.send_notice(version, actor=request.user, **form.cleaned_data)
    except SupervisionError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("workspace:supervision_report", args=[version.pk]))
    messages.success(request, f"整改通知已发送给{notice.agency.name}。")
    return redirect(reverse("workspace:supervision_notice", args=[notice.pk]))


@allow("GET")
@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = access.get_notice_for_user(request.user, pk)
    supervising = access.supervises_notice(request.user, notice)
    answering = can_write(request.user, notice.agency) and notice.state in OPEN_NOTICE_STATES
    corrected = list(notice.corrected_files.select_related("version").order_by("pk"))
    return render_page(
        request,
        "workspace/supervision/notice.html",
        {
            "notice": notice,
            "title": notice_title(notice),
            "lines": notice_lines(notice),
            "supervising": supervising,
            "answering": answering,
            "answer_form": AnswerForm(),
            "corrected": corrected,
        },
        nav="notices",
    )


@allow("GET")
@login_required
def notice_docx_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = access.get_notice_for_user(request.user, pk)
    response = HttpResponse(
        notice_docx(notice),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.pk}.docx"'
    return response


@allow("GET")
@login_required
def notice_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = access.get_notice_for_user(request.user, pk)
    response = HttpResponse(notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.pk}.pdf"'
    return response


@allow("POST")
@login_required
def notice_answer(request: HttpRequest, pk: int) -> HttpResponse:
    notice = access.get_notice_for_user(request.user, pk)
    back = reverse("workspace:supervision_notice", args=[notice.pk])
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请填写答复（不超过 2000 字）。")
        return redirect(back)
    upload = form.cleaned_data.get("report")
    try:
        services.answer_notice(
            notice,
            actor=request.user,
            answer=form.cleaned_data["answer"],
            upload=(upload.name, upload.read()) if upload else None,
        )
    except SupervisionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "已答复整改通知。" + ("整改后的报告正在重新检查。" if upload else "")
        )
    return redirect(back)


@allow("POST")
@login_required
def notice_close(request: HttpRequest, pk: int) -> HttpResponse:
    notice = access.get_notice_for_user(request.user, pk)
    try:
        services.close_notice(notice, actor=request.user)
    except SupervisionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "整改通知已办结。")
    return redirect(reverse("workspace:supervision_notice", args=[notice.pk]))
