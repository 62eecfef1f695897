"""待审稿件: draft, edit, submit, resubmit, withdraw."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from gongkai.agencies.access import agencies_visible_to, can_write
from gongkai.security.forms import HardenedModelForm
from gongkai.security.methods import allow
from gongkai.signoff import selectors, services
from gongkai.signoff.errors import InvalidTextError, SignoffError
from gongkai.signoff.models import Chain, Document
from gongkai.signoff.states import ChainStatus
from gongkai.workspace.agency_context import current_agency
from gongkai.workspace.views.common import refused, render_page


class DocumentForm(HardenedModelForm):
    class Meta:
        model = Document
        fields = ("title", "body")
        widgets: ClassVar[dict[str, forms.Widget]] = {
            "title": forms.TextInput(attrs={"placeholder": "如：关于调整领导接访日程的公告"}),
            "body": forms.Textarea(attrs={"rows": 14}),
        }


def _visible_document(request: HttpRequest, pk: int) -> Document:
    return get_object_or_404(
        Document.objects.filter(agency__in=agencies_visible_to(request.user)).select_related(
            "agency", "author"
        ),
        pk=pk,
    )


def _writable_document(request: HttpRequest, pk: int) -> Document:
    document = _visible_document(request, pk)
    if not can_write(request.user, document.agency):
        raise Http404("没有找到该稿件。")
    return document


def _approval_state(document: Document, chain: Chain | None) -> str:
    """ "current" (已签发 and unchanged), "superseded" (edited after approval) or ""."""
    if chain is None or chain.status != ChainStatus.APPROVED:
        return ""
    return "current" if chain.revision_hash == document.signoff_revision() else "superseded"


def _latest_chain(document: Document) -> Chain | None:
    return selectors.chains_for(document).first()


@allow("GET", "POST")
@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if agency is None or not can_write(request.user, agency):
        raise Http404("您没有可以起草稿件的机关。")
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.create_document(
                actor=request.user, agency=agency, **form.cleaned_data
            )
        except SignoffError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "稿件已保存，可以送审。")
            return redirect(document.get_absolute_url())
    return render_page(
        request,
        "workspace/document_form.html",
        {"form": form, "agency": agency, "document": None},
        nav="document_create",
    )


@allow("GET", "POST")
@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _writable_document(request, pk)
    try:
        services.check_may_edit(document, actor=request.user)
    except SignoffError as error:
        return refused(request, error, document.get_absolute_url())
    approval = _approval_state(document, _latest_chain(document))
    form = DocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_document(
                document,
                actor=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except InvalidTextError as error:
            form.add_error(None, error.message)
        except SignoffError as error:
            return refused(request, error, document.get_absolute_url())
        else:
            return _saved(request, document, approval)
    return render_page(
        request,
        "workspace/document_form.html",
        {"form": form, "agency": document.agency, "document": document, "approval": approval},
    )


def _saved(request: HttpRequest, document: Document, approval: str) -> HttpResponse:
    document.refresh_from_db()
    if approval == "current" and _approval_state(document, _latest_chain(document)) != "current":
        # Said after the edit too: the approved badge is gone, and why.
        messages.warning(request, "稿件已保存。原签发版本已失效，修改后的稿件需要重新送审。")
    else:
        messages.success(request, "稿件已保存。")
    return redirect(document.get_absolute_url())


@allow("GET")
@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _visible_document(request, pk)
    chain = _latest_chain(document)
    context = {
        "document": document,
        "chain": chain,
        "approval": _approval_state(document, chain),
        "revision": document.signoff_revision(),
        "can_write": can_write(request.user, document.agency),
        "can_edit": services.may_edit(document, request.user),
        "decisions": list(selectors.history(chain)) if chain else [],
        "last_return": selectors.latest_return(chain) if chain else None,
        "round_steps": (
            list(chain.current_steps().select_related("decided_by", "delegated_to", "delegated_by"))
            if chain
            else []
        ),
    }
    return render_page(request, "workspace/document_detail.html", context, nav="submissions")


@allow("POST")
@login_required
def document_submit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _writable_document(request, pk)
    try:
        services.submit_for_review(
            document, actor=request.user, revision_hash=request.POST.get("revision_hash", "")
        )
    except SignoffError as error:
        return refused(request, error, document.get_absolute_url())
    messages.success(request, f"已送审：{document.title}。")
    return redirect(document.get_absolute_url())


def _visible_chain(request: HttpRequest, pk: int) -> Chain:
    return get_object_or_404(selectors.chains_visible_to(request.user), pk=pk)


@allow("POST")
@login_required
def chain_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    chain = _visible_chain(request, pk)
    back = reverse("workspace:chain_open", args=[chain.pk])
    try:
        services.resubmit(
            chain, actor=request.user, revision_hash=request.POST.get("revision_hash", "")
        )
    except SignoffError as error:
        return refused(request, error, back)
    messages.success(request, f"已重新送审：{chain.title}。")
    return redirect(back)


@allow("POST")
@login_required
def chain_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    chain = _visible_chain(request, pk)
    back = reverse("workspace:chain_open", args=[chain.pk])
    try:
        services.withdraw(chain, actor=request.user)
    except SignoffError as error:
        return refused(request, error, back)
    messages.success(request, f"已撤回：{chain.title}。")
    return redirect(back)
