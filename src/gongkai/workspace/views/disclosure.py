"""主动公开 items: list, editor, attachments, review page, publication and the register form."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header

from gongkai.agencies.access import can_write
from gongkai.disclosure import access, regform, selectors, services
from gongkai.disclosure.errors import DisclosureError
from gongkai.disclosure.models import SUBJECT_CHOICES, Column, Item, ItemKind, Validity
from gongkai.disclosure.states import ItemStatus
from gongkai.security.methods import allow
from gongkai.signoff import selectors as signoff_selectors
from gongkai.signoff import services as signoff
from gongkai.signoff.errors import SignoffError
from gongkai.signoff.states import ChainStatus, StepStatus
from gongkai.workspace.agency_context import current_agency
from gongkai.workspace.views.common import refused, render_page

MAX_FILTER_TEXT = 100


def _no_control(value: str) -> str:
    if any(not ch.isprintable() and ch not in "\n\r\t" for ch in value):
        raise forms.ValidationError("不能包含控制字符。")
    return value


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = (
            "column",
            "kind",
            "title",
            "body",
            "issuing_body",
            "doc_number",
            "written_date",
            "subject",
            "validity",
            "effective_date",
            "validity_changed_on",
        )
        widgets: ClassVar[dict[str, forms.Widget]] = {
            "body": forms.Textarea(attrs={"rows": 14, "class": "rich-source"}),
            "written_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "validity_changed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, agency: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = Column.objects.filter(agency=agency, active=True).exclude(
            kind="group"
        )
        self.fields["subject"].choices = [("", "（未选择）"), *SUBJECT_CHOICES]
        self.fields["validity"].choices = [("", "（不适用）"), *Validity.choices]
        self.fields["body"].required = False

    def clean_title(self) -> str:
        return _no_control(self.cleaned_data["title"]).strip()

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body") or ""
        if "\x00" in body:
            raise forms.ValidationError("正文不能包含控制字符。")
        return body

    def clean_doc_number(self) -> str:
        return _no_control(self.cleaned_data["doc_number"])

    def clean_issuing_body(self) -> str:
        return _no_control(self.cleaned_data["issuing_body"])


class FilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "全部状态"), *ItemStatus.choices])
    column = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    q = forms.CharField(
        required=False,
        max_length=MAX_FILTER_TEXT,
        widget=forms.TextInput(attrs={"placeholder": "标题关键词", "aria-label": "标题关键词"}),
    )

    def __init__(self, *args: Any, agency: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [("", "全部栏目")] + [
            (c.pk, "　" * depth + c.name) for c, depth in selectors.column_tree(agency)
        ]

    def clean_q(self) -> str:
        return _no_control(self.cleaned_data["q"]).strip()


def _writable_item(request: HttpRequest, pk: int) -> Item:
    item = access.get_item_for_user(request.user, pk)
    if not can_write(request.user, item.agency):
        raise Http404("没有找到该信息。")
    return item


def _fail(request: HttpRequest, error: SignoffError, item: Item) -> HttpResponse:
    return refused(request, error, item.get_absolute_url())


@allow("GET")
@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if agency is None:
        raise Http404("您没有可以管理的机关。")
    form = FilterForm(request.GET or None, agency=agency)
    filters = form.cleaned_data if form.is_valid() else {}
    items = list(selectors.item_list(agency, **{k: v for k, v in filters.items() if v})[:200])
    return render_page(
        request,
        "workspace/disclosure/item_list.html",
        {"form": form, "items": items, "agency": agency},
        nav="disclosure",
    )


@allow("GET", "POST")
@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if agency is None or not can_write(request.user, agency):
        raise Http404("您没有可以发布信息的机关。")
    initial = {"kind": request.GET.get("kind", ItemKind.ARTICLE)}
    if request.GET.get("column", "").isdigit():
        initial["column"] = int(request.GET["column"])
    form = ItemForm(request.POST or None, agency=agency, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            item = services.create_item(actor=request.user, **data)
        except DisclosureError as error:
            form.add_error(None, error.message)
        else:
            _report_findings(request, item, "信息已保存。")
            return redirect(item.get_absolute_url())
    return render_page(
        request,
        "workspace/disclosure/item_form.html",
        {"form": form, "agency": agency, "item": None},
        nav="disclosure",
    )


def _report_findings(request: HttpRequest, item: Item, done: str) -> None:
    count = services.open_findings(item).count()
    if count:
        messages.warning(
            request, f"{done}检查发现 {count} 处疑似个人信息，删除或经审核人员确认后才能送审。"
        )
    else:
        messages.success(request, done)


@allow("GET", "POST")
@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _writable_item(request, pk)
    form = ItemForm(request.POST or None, instance=item, agency=item.agency)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.update_item(item, actor=request.user, **form.cleaned_data)
        except DisclosureError as error:
            form.add_error(None, error.message)
        except SignoffError as error:
            return _fail(request, error, item)
        else:
            _report_findings(request, item, "信息已保存。")
            return redirect(item.get_absolute_url())
    item.refresh_from_db()
    return render_page(
        request,
        "workspace/disclosure/item_form.html",
        {"form": form, "agency": item.agency, "item": item},
        nav="disclosure",
    )


def _active_step(item: Item) -> Any:
    chain = signoff.open_chain_for(item)
    if chain is None or chain.status != ChainStatus.IN_REVIEW:
        return chain, None
    return chain, chain.steps.filter(round=chain.round, status=StepStatus.ACTIVE).first()


@allow("GET")
@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = services.reconcile_item(access.get_item_for_user(request.user, pk))
    user = request.user
    chain, step = _active_step(item)
    latest_chain = chain or signoff_selectors.chains_for(item).first()
    may_decide = bool(
        step is not None
        and signoff.may_decide(step, user)
        and not (step.forbid_self_approval and chain.submitted_by_id == user.pk)
    )
    seen = selectors.revision_seen_by(item, user)
    current = item.current_revision
    findings = list(item.findings.select_related("acknowledged_by"))
    context = {
        "item": item,
        "revision_hash": item.signoff_revision(),
        "can_write": can_write(user, item.agency),
        "chain": latest_chain,
        "step": step,
        "may_decide": may_decide,
        "seen": seen,
        # Only reviewers get the diff: against the revision they decided on last.
        "diff": (
            selectors.diff(seen, current)
            if current is not None and seen != current and (may_decide or seen is not None)
            else []
        ),
        "findings": findings,
        "open_findings": sum(1 for f in findings if f.acknowledged_at is None),
        "may_acknowledge": services.may_review(user, item.agency),
        "attachments": list(item.attachments.filter(removed_at__isnull=True)),
        "decisions": list(signoff_selectors.history(latest_chain)) if latest_chain else [],
        "schedule_confirmed": services.schedule_is_confirmed(item),
        "publishable": item.status in (ItemStatus.APPROVED, ItemStatus.SCHEDULED),
        "revisions": list(item.revisions.order_by("-number")[:20]),
        "channels": list(item.channel_states.all()),
    }
    return render_page(request, "workspace/disclosure/item_detail.html", context, nav="disclosure")


def _post_verb(request: HttpRequest, pk: int, verb: Any, done: str) -> HttpResponse:
    item = _writable_item(request, pk)
    try:
        verb(item)
    except SignoffError as error:
        return _fail(request, error, item)
    messages.success(request, done)
    return redirect(item.get_absolute_url())


@allow("POST")
@login_required
def item_submit(request: HttpRequest, pk: int) -> HttpResponse:
    revision_hash = request.POST.get("revision_hash", "")
    return _post_verb(
        request,
        pk,
        lambda item: services.submit_item(item, actor=request.user, revision_hash=revision_hash),
        "已送审。",
    )


@allow("POST")
@login_required
def item_recall(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_verb(
        request, pk, lambda item: services.recall_item(item, actor=request.user), "已撤回送审。"
    )


@allow("POST")
@login_required
def item_confirm_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_verb(
        request,
        pk,
        lambda item: services.confirm_schedule(item, actor=request.user),
        "已记录：已与接访领导确认日程。",
    )


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        required=False,
        label="定时发布",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


@allow("POST")
@login_required
def item_publish(request: HttpRequest, pk: int) -> HttpResponse:
    form = PublishForm(request.POST)
    at: datetime | None = None
    if form.is_valid():
        at = form.cleaned_data["at"]
    else:
        messages.error(request, "定时发布时间格式无效。")
        return redirect(_writable_item(request, pk).get_absolute_url())
    if at is not None and at <= timezone.now():
        at = None
    done = f"已设定于 {timezone.localtime(at):%Y-%m-%d %H:%M} 发布。" if at else "已发布。"
    return _post_verb(
        request, pk, lambda item: services.publish_item(item, actor=request.user, at=at), done
    )


@allow("POST")
@login_required
def item_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")[:500]
    return _post_verb(
        request,
        pk,
        lambda item: services.withdraw_item(item, actor=request.user, reason=reason),
        "已撤稿。",
    )


@allow("POST")
@login_required
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = _writable_item(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文件。")
        return redirect(item.get_absolute_url())
    if upload.size > services.MAX_ATTACHMENT_BYTES:
        messages.error(request, "附件过大。")
        return redirect(item.get_absolute_url())
    try:
        services.add_attachment(item, actor=request.user, name=upload.name, data=upload.read())
    except SignoffError as error:
        return _fail(request, error, item)
    item.refresh_from_db()
    _report_findings(request, item, f"已上传附件：{upload.name}。")
    return redirect(item.get_absolute_url())


@allow("POST")
@login_required
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = access.get_attachment_for_user(request.user, pk)
    item = attachment.item
    if not can_write(request.user, item.agency):
        raise Http404("没有找到该附件。")
    try:
        services.remove_attachment(attachment, actor=request.user)
    except SignoffError as error:
        return _fail(request, error, item)
    messages.success(request, f"已删除附件：{attachment.original_name}。")
    return redirect(item.get_absolute_url())


@allow("GET")
@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = access.get_attachment_for_user(request.user, pk)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )


@allow("POST")
@login_required
def finding_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    finding = access.get_finding_for_user(request.user, pk)
    item = finding.item
    try:
        services.acknowledge_finding(
            finding, actor=request.user, reason=request.POST.get("reason", "")[:500]
        )
    except SignoffError as error:
        return _fail(request, error, item)
    messages.success(request, "已确认该检查结果。")
    return redirect(item.get_absolute_url())


@allow("GET")
@login_required
def item_register_form(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk)
    if fmt == "pdf":
        data, content_type = regform.render_pdf(item), "application/pdf"
    elif fmt == "docx":
        data = regform.render_docx(item)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise Http404("不支持的格式。")
    response = HttpResponse(data, content_type=content_type)
    name = f"政府信息审核登记表-{item.index_number.replace('/', '_')}.{fmt}"
    response["Content-Disposition"] = _disposition(name)
    return response


def _disposition(name: str) -> str:
    return content_disposition_header(as_attachment=True, filename=name) or "attachment"


class PeriodForm(forms.Form):
    date_from = forms.DateField()
    date_to = forms.DateField()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于结束日期。")
        if (
            data.get("date_from")
            and data.get("date_to")
            and (data["date_to"] - data["date_from"]).days > 366
        ):
            raise forms.ValidationError("一次最多导出一年。")
        return data


@allow("GET")
@login_required
def register_forms_zip(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if agency is None:
        raise Http404("您没有可以管理的机关。")
    form = PeriodForm(request.GET or None)
    if not form.is_valid():
        return render_page(
            request,
            "workspace/disclosure/register_zip.html",
            {"form": form, "agency": agency},
            nav="disclosure",
        )
    data = regform.period_zip(agency, form.cleaned_data["date_from"], form.cleaned_data["date_to"])
    response = HttpResponse(data, content_type="application/zip")
    name = f"审核登记表-{form.cleaned_data['date_from']}-{form.cleaned_data['date_to']}.zip"
    response["Content-Disposition"] = _disposition(name)
    return response
