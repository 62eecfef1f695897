"""依申请公开 pages: queues, intake, the case page with its clock actions, import, table 三."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Role
from gongkai.applications import letters, queues, services, stats
from gongkai.applications.access import applications_visible_to, get_application_for_user
from gongkai.applications.archive import archive_bundle
from gongkai.applications.errors import ApplicationError
from gongkai.applications.importing import import_cases
from gongkai.applications.models import AnswerDocument, ExtensionRequest, Letter
from gongkai.applications.states import TRANSITIONS
from gongkai.eventlog.registry import label_for
from gongkai.eventlog.services import events_for
from gongkai.security.methods import allow
from gongkai.signoff import services as signoff
from gongkai.signoff.errors import SignoffError
from gongkai.signoff.models import Chain
from gongkai.workspace.agency_context import can_write_cached, current_agency
from gongkai.workspace.views import applications_forms as f
from gongkai.workspace.views.common import refused, render_page

LIST_LIMIT = 200


@dataclass(frozen=True)
class Action:
    label: str
    form: type
    run: Callable[[Any, Any, dict[str, Any]], Any]
    danger: bool = False


def _fee(app: Any, actor: Any, d: dict[str, Any]) -> Any:
    amount = {d["method"]: d["quantity"]}
    return services.send_fee_notice(app, actor=actor, received_on=d["received_on"], **amount)


ACTIONS: dict[str, Action] = {
    "request_correction": Action(
        "发出补正通知",
        f.CorrectionRequestForm,
        lambda a, u, d: services.request_correction(a, actor=u, **d),
    ),
    "record_correction": Action(
        "收到补正",
        f.CorrectionReceivedForm,
        lambda a, u, d: services.record_correction(a, actor=u, **d),
    ),
    "close_no_correction": Action(
        "逾期未补正，办结",
        f.CloseForm,
        lambda a, u, d: services.close_no_correction(a, actor=u, **d),
        danger=True,
    ),
    "start_consultation": Action(
        "征求意见",
        f.ConsultationForm,
        lambda a, u, d: services.start_consultation(a, actor=u, **d),
    ),
    "record_consultation_reply": Action(
        "收到征求意见答复",
        f.ConsultationReplyForm,
        lambda a, u, d: services.record_consultation_reply(a, actor=u, **d),
    ),
    "extend": Action(
        "申请延长答复期限",
        f.ExtensionForm,
        lambda a, u, d: services.request_extension(a, actor=u, **d),
    ),
    "send_fee_notice": Action("发出收费通知", f.FeeNoticeForm, _fee),
    "record_fee_payment": Action(
        "已缴费", f.FeePaidForm, lambda a, u, d: services.record_fee_payment(a, actor=u, **d)
    ),
    "lapse_fee": Action(
        "逾期未缴费，办结",
        f.CloseForm,
        lambda a, u, d: services.lapse_fee(a, actor=u, **d),
        danger=True,
    ),
    "decide": Action("作出决定", f.DecisionForm, lambda a, u, d: services.decide(a, actor=u, **d)),
    "record_answer": Action(
        "答复送达（办结）", f.AnswerForm, lambda a, u, d: services.record_answer(a, actor=u, **d)
    ),
}


def _form(verb: str, application: Any, data: Any = None) -> Any:
    return ACTIONS[verb].form(data, prefix=verb)


def _available(application: Any, extension_blocker: str) -> list[str]:
    return [
        verb
        for verb, (sources, _) in TRANSITIONS.items()
        if application.status in sources and not (verb == "extend" and extension_blocker)
    ]


def _handler_agency(request: HttpRequest) -> Any:
    agency = current_agency(request)
    if agency is None or not services.may_handle(request.user, agency):
        raise Http404("您没有办理依申请公开的机关。")
    return agency


# ---------------------------------------------------------------------------------------------
# pages


@allow("GET")
@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    name = request.GET.get("queue", "open")
    if name not in queues.QUEUES:
        name = "open"
    today = f.today()
    base = applications_visible_to(request.user)
    base = base.filter(agency=agency) if agency is not None else base.none()
    rows = list(
        queues.queue(base, name, user=request.user, today=today).select_related("handler")[
            :LIST_LIMIT
        ]
    )
    return render_page(
        request,
        "workspace/applications/list.html",
        {
            "rows": rows,
            "queue": name,
            "queues": queues.QUEUES,
            "today": today,
            "limit": LIST_LIMIT,
            "can_handle": agency is not None and services.may_handle(request.user, agency),
            # one query: writability comes from the cached memberships of the page context
            "can_manage_templates": agency is not None
            and can_write_cached(request, agency)
            and (request.user.is_superuser or has_role(request.user, agency, Role.AGENCY_ADMIN)),
        },
        nav="applications",
    )


@allow("GET", "POST")
@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    agency = _handler_agency(request)
    form = f.IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.register_application(
                actor=request.user, agency=agency, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已登记：{application.number}。")
            return redirect(application.get_absolute_url())
    return render_page(
        request,
        "workspace/applications/form.html",
        {"form": form, "agency": agency},
        nav="applications",
    )


@allow("GET")
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    return _detail(request, application)


def _detail(
    request: HttpRequest, application: Any, bound: tuple[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    can_handle = services.may_handle(request.user, application.agency)
    show_full = can_handle and request.GET.get("full") == "1"
    if show_full:
        services.view_personal_data(application, actor=request.user)
    forms = []
    extensions = _extensions(application)
    blocker = services.extension_blocker(application) if application.is_open else ""
    if can_handle:
        for verb in _available(application, blocker):
            form = bound[1] if bound and bound[0] == verb else _form(verb, application)
            forms.append((verb, ACTIONS[verb], form))
    history = [
        (event, label_for(event.action)) for event in events_for(application).order_by("seq")
    ]
    context = {
        "app": application,
        "show_full": show_full,
        "can_handle": can_handle,
        "forms": forms,
        "open_verb": bound[0] if bound else "",
        "events": list(application.clock_events.select_related("created_by")),
        "letters": _letters(application),
        "extensions": extensions,
        "documents": list(application.answer_documents.all()),
        "deliveries": list(application.online_deliveries.all()[:5]),
        "link_days": services.link_days(),
        "extension_blocker": blocker,
        "history": history,
        "suggestions": queues.suggestions(application) if can_handle else [],
    }
    return render_page(
        request, "workspace/applications/detail.html", context, nav="applications", status=status
    )


def _extensions(application: Any) -> list[tuple[Any, Any]]:
    """Each extension request with its review chain (two queries for the whole case)."""
    items = list(application.extension_requests.select_related("decided_by"))
    chains = {}
    if items:
        newest_first = Chain.objects.filter(
            content_type=ContentType.objects.get_for_model(ExtensionRequest),
            object_id__in=[item.pk for item in items],
        ).order_by("-created_at", "-pk")
        for chain in newest_first:
            chains.setdefault(chain.object_id, chain)
    return [(item, chains.get(item.pk)) for item in items]


def _letters(application: Any) -> list[tuple[Any, Any]]:
    """Each letter with its latest review chain (two queries for the whole case)."""
    items = list(application.letters.select_related("agency"))
    chains = {}
    if items:
        newest_first = Chain.objects.filter(
            content_type=ContentType.objects.get_for_model(Letter),
            object_id__in=[letter.pk for letter in items],
        ).order_by("-created_at", "-pk")
        for chain in newest_first:
            chains.setdefault(chain.object_id, chain)
    return [(letter, chains.get(letter.pk)) for letter in items]


@allow("POST")
@login_required
def application_act(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    if verb not in ACTIONS:
        raise Http404("没有该操作。")
    back = application.get_absolute_url()
    if not services.may_handle(request.user, application.agency):
        messages.error(request, "您没有办理该机关依申请公开的权限。")
        return redirect(back)
    form = _form(verb, application, request.POST)
    if not form.is_valid():
        return _detail(request, application, bound=(verb, form), status=400)
    try:
        ACTIONS[verb].run(application, request.user, form.cleaned_data)
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _detail(request, application, bound=(verb, form), status=400)
    messages.success(request, f"已完成：{ACTIONS[verb].label}。")
    return redirect(back)


@allow("POST")
@login_required
def application_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a disclosed document to the decided answer (checked by content)."""
    application = get_application_for_user(request.user, pk)
    back = application.get_absolute_url() + "#delivery"
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要提供的文件。")
        return redirect(back)
    if upload.size > services.MAX_ANSWER_DOCUMENT_BYTES:
        messages.error(request, "文件过大（最大 20 MB）。")
        return redirect(back)
    try:
        services.add_answer_document(
            application, actor=request.user, data=upload.read(), filename=upload.name
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已添加：{upload.name}。")
    return redirect(back)


@allow("POST")
@login_required
def answer_document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = (
        AnswerDocument.objects.filter(application__in=applications_visible_to(request.user))
        .select_related("application")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404("没有找到该文件。")
    back = document.application.get_absolute_url() + "#delivery"
    try:
        services.remove_answer_document(document, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已删除：{document.original_name}。")
    return redirect(back)


@allow("POST")
@login_required
def application_deliver_online(request: HttpRequest, pk: int) -> HttpResponse:
    """Deliver the signed answer online: an expiring download link for the applicant."""
    application = get_application_for_user(request.user, pk)
    back = application.get_absolute_url() + "#delivery"
    try:
        delivery = services.deliver_online(application, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已生成下载链接，有效期至 {delivery.expires_at:%Y-%m-%d}。")
    return redirect(back)


@allow("GET", "POST")
@login_required
def application_import(request: HttpRequest) -> HttpResponse:
    agency = _handler_agency(request)
    form = f.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_cases(
                upload.read(),
                filename=upload.name,
                agency=agency,
                actor=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            if report.written:
                messages.success(request, f"已导入 {report.rows} 件历史申请。")
    return render_page(
        request,
        "workspace/applications/import.html",
        {"form": form, "agency": agency, "report": report, "columns": _IMPORT_COLUMNS},
        nav="applications",
    )


_IMPORT_COLUMNS = [
    ("收到日期", "received", "必填，YYYY-MM-DD"),
    ("渠道", "channel", "必填：当面、邮寄、网络、传真、电子邮件"),
    (
        "申请人类别",
        "applicant_class",
        "必填：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他",
    ),
    ("申请人", "applicant", "必填"),
    ("证件号码", "id_number", "选填，校验身份证号码或统一社会信用代码"),
    ("联系方式", "contact", "选填"),
    ("申请内容", "request", "必填"),
    ("办结日期", "decided", "选填，空白表示仍在办理"),
    ("办理结果", "outcome", "有办结日期时必填：表三的一项结果，如「1.属于国家秘密」"),
    ("编号", "number", "选填，如〔2025〕第0001号；空白则自动编号"),
]


@allow("GET")
@login_required
def application_stats(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if agency is None:
        raise Http404("您没有所属机关。")
    form = f.StatsForm(request.GET or {"year": f.today().year})
    table = None
    year = None
    if form.is_valid():
        year = form.cleaned_data["year"]
        data = stats.report_json(agency, year)
        table = [(stats.row_label(key), key, cells) for key, cells in data["table3"].items()]
        findings = data["findings"]
    else:
        findings = []
    return render_page(
        request,
        "workspace/applications/stats.html",
        {
            "form": form,
            "table": table,
            "year": year,
            "findings": findings,
            "columns": [c.label for c in stats.FORMAT.table3_columns],
        },
        nav="applications",
    )


def _visible_letter(request: HttpRequest, pk: int) -> Letter:
    letter = (
        Letter.objects.filter(application__in=applications_visible_to(request.user))
        .select_related("agency", "application")
        .filter(pk=pk)
        .first()
    )
    if letter is None:
        raise Http404("没有找到该告知书。")
    return letter


@allow("POST")
@login_required
def letter_submit(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _visible_letter(request, pk)
    back = letter.get_absolute_url()
    if not services.may_handle(request.user, letter.agency):
        messages.error(request, "您没有办理该机关依申请公开的权限。")
        return redirect(back)
    try:
        signoff.submit_for_review(
            letter, actor=request.user, revision_hash=request.POST.get("revision_hash", "")
        )
    except SignoffError as error:
        return refused(request, error, back)
    messages.success(request, f"已送审：{letter.title}。")
    return redirect(back)


@allow("GET", "POST")
@login_required
def letter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _visible_letter(request, pk)
    back = letter.get_absolute_url()
    if not services.may_handle(request.user, letter.agency):
        messages.error(request, "您没有办理该机关依申请公开的权限。")
        return redirect(back)
    initial = {"title": letter.title, "body": letter.body}
    form = f.LetterEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_letter(letter, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        except SignoffError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已保存：{form.cleaned_data['title']}。")
            return redirect(back)
    return render_page(
        request,
        "workspace/applications/letter_edit.html",
        {"form": form, "letter": letter},
        nav="applications",
    )


@allow("GET")
@login_required
def letter_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    letter = _visible_letter(request, pk)
    if fmt == "pdf":
        content, mime = letters.render_pdf(letter), "application/pdf"
    elif fmt == "docx":
        content = letters.render_docx(letter)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise Http404("没有该格式。")
    name = f"{letter.application.number}-{letter.get_kind_display()}.{fmt}"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = (
        f"attachment; filename=\"letter-{letter.pk}.{fmt}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@allow("GET")
@login_required
def application_archive(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    try:
        content = archive_bundle(application, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(application.get_absolute_url())
    response = HttpResponse(content, content_type="application/zip")
    name = f"{application.number}-归档.zip"
    response["Content-Disposition"] = (
        f"attachment; filename=\"archive-{application.pk}.zip\"; filename*=UTF-8''{quote(name)}"
    )
    return response


urlpatterns = [
    path("applications/", application_list, name="application_list"),
    path("applications/new/", application_create, name="application_create"),
    path("applications/import/", application_import, name="application_import"),
    path("applications/table3/", application_stats, name="application_stats"),
    path("applications/<int:pk>/", application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/documents/add/",
        application_document_add,
        name="application_document_add",
    ),
    path(
        "applications/documents/<int:pk>/remove/",
        answer_document_remove,
        name="answer_document_remove",
    ),
    path(
        "applications/<int:pk>/online/deliver/",
        application_deliver_online,
        name="application_deliver_online",
    ),
    path("applications/<int:pk>/<str:verb>/", application_act, name="application_act"),
    path("applications/<int:pk>/archive.zip", application_archive, name="application_archive"),
    path("applications/letters/<int:pk>/submit/", letter_submit, name="letter_submit"),
    path("applications/letters/<int:pk>/edit/", letter_edit, name="letter_edit"),
    path("applications/letters/<int:pk>/file.<str:fmt>", letter_file, name="letter_file"),
]
