"""The step page and the decisions taken on it (approve, return, delegate)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse

from gongkai.agencies.access import has_role
from gongkai.security.forms import FreeTextField, HardenedForm
from gongkai.security.methods import allow
from gongkai.security.text import COMMENT_MAX, REASON_MAX, is_blank
from gongkai.signoff import selectors, services
from gongkai.signoff.errors import CommentRequiredError, InvalidDelegationError, SignoffError
from gongkai.signoff.models import Step
from gongkai.signoff.states import ChainStatus, StepStatus
from gongkai.workspace.agency_context import current_agency, page_context
from gongkai.workspace.inbox import build_inbox
from gongkai.workspace.views.common import refused, render_page


def _visible_step(request: HttpRequest, pk: int) -> Step:
    return get_object_or_404(selectors.steps_visible_to(request.user), pk=pk)


def _decide_refusal(step: Step, user: Any) -> str:
    """Why the user sees no decision form ("" when they may decide now)."""
    chain = step.chain
    if not chain.is_open:
        return "该审核流程已结束。"
    if step.status != StepStatus.ACTIVE or chain.status != ChainStatus.IN_REVIEW:
        return "本环节当前不在待审核状态。"
    if not services.may_decide(step, user):
        return "您不是本环节的审核人员，只能查看。"
    refusal = services.self_decision_refusal(step, chain, user)
    return refusal.message if refusal is not None else ""


def _deputies(step: Step, user: Any) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(
            memberships__agency=step.chain.agency, memberships__active=True, is_active=True
        )
        .exclude(pk=user.pk)
        .distinct()
        .order_by("username")
    )


@allow("GET")
@login_required
def step_detail(request: HttpRequest, pk: int) -> HttpResponse:
    step = _visible_step(request, pk)
    chain = step.chain
    obj = chain.content_object
    refusal = _decide_refusal(step, request.user)
    can_delegate = (
        chain.status == ChainStatus.IN_REVIEW
        and step.status in (StepStatus.PENDING, StepStatus.ACTIVE)
        and has_role(request.user, chain.agency, step.role)
    )
    context = {
        "step": step,
        "chain": chain,
        "object_title": obj.signoff_title if obj is not None else chain.title,
        "preview": obj.signoff_preview() if obj is not None else "（原稿件已删除）",
        "current_revision": obj.signoff_revision() if obj is not None else "",
        "can_decide": not refusal,
        "decide_refusal": refusal,
        "can_delegate": can_delegate,
        "deputies": _deputies(step, request.user) if can_delegate else [],
        "round_steps": list(
            chain.current_steps().select_related("decided_by", "delegated_to", "delegated_by")
        ),
        "decisions": list(selectors.history(chain)),
    }
    return render_page(request, "workspace/step_detail.html", context, nav="inbox")


def _htmx_inbox(request: HttpRequest) -> HttpResponse:
    """For the inbox: the refreshed inbox body (counts included) plus messages out of band."""
    agency = current_agency(request)
    sections = build_inbox(request.user, agency)
    context = page_context(request, "inbox") | {
        "sections": sections,
        "total": sum(len(section.entries) for section in sections),
    }
    body = render_to_string("workspace/_inbox_body.html", context, request=request)
    oob = render_to_string("workspace/_oob_message.html", {}, request=request)
    return HttpResponse(body + oob)


class ApproveForm(HardenedForm):
    revision_hash = forms.CharField(max_length=64, required=False)
    comment = FreeTextField(max_length=COMMENT_MAX, required=False)


class ReturnForm(HardenedForm):
    comment = FreeTextField(max_length=COMMENT_MAX)


class DelegateForm(HardenedForm):
    deputy = forms.IntegerField(min_value=1, max_value=2**62)
    reason = FreeTextField(max_length=REASON_MAX)


def form_refusal(form: forms.Form) -> str:
    """The first error of a form posted from a page that is not the form's own."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label or _FIELD_LABELS.get(name, '')}：{errors[0]}".lstrip("：")
    return "提交的内容无效。"


_FIELD_LABELS = {"comment": "审核意见", "reason": "委托事由", "deputy": "被委托人"}


@allow("POST")
@login_required
def step_approve(request: HttpRequest, pk: int) -> HttpResponse:
    step = _visible_step(request, pk)
    form = ApproveForm(request.POST)
    try:
        if not form.is_valid():
            raise SignoffError(form_refusal(form))
        services.approve_step(
            step,
            actor=request.user,
            revision_hash=form.cleaned_data["revision_hash"],
            comment=form.cleaned_data["comment"],
        )
    except SignoffError as error:
        messages.error(request, error.message)
        if request.htmx:
            return _htmx_inbox(request)
        return redirect(reverse("workspace:step_detail", args=[step.pk]))
    step.chain.refresh_from_db(fields=["status"])
    done = "，审核流程已全部完成" if step.chain.status == ChainStatus.APPROVED else ""
    messages.success(request, f"已通过「{step.name}」：{step.chain.title}{done}。")
    if request.htmx:
        return _htmx_inbox(request)
    return redirect(reverse("workspace:inbox"))


@allow("POST")
@login_required
def step_return(request: HttpRequest, pk: int) -> HttpResponse:
    step = _visible_step(request, pk)
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            if "comment" in form.errors and is_blank(request.POST.get("comment", "")):
                raise CommentRequiredError
            raise SignoffError(form_refusal(form))
        services.return_for_revision(step, actor=request.user, comment=form.cleaned_data["comment"])
    except SignoffError as error:
        return refused(request, error, reverse("workspace:step_detail", args=[step.pk]))
    messages.success(request, f"已退回修改：{step.chain.title}。")
    return redirect(reverse("workspace:inbox"))


@allow("POST")
@login_required
def step_delegate(request: HttpRequest, pk: int) -> HttpResponse:
    step = _visible_step(request, pk)
    back = reverse("workspace:step_detail", args=[step.pk])
    form = DelegateForm(request.POST)
    form.is_valid()
    deputy = get_user_model().objects.filter(pk=form.cleaned_data.get("deputy")).first()
    if deputy is None:
        messages.error(request, "请选择被委托人。")
        return redirect(back)
    try:
        if not form.is_valid():
            if is_blank(request.POST.get("reason", "")):
                raise InvalidDelegationError("委托审核必须填写事由。")
            raise SignoffError(form_refusal(form))
        services.delegate_step(
            step, actor=request.user, deputy=deputy, reason=form.cleaned_data["reason"]
        )
    except SignoffError as error:
        return refused(request, error, back)
    messages.success(request, f"已委托 {deputy} 代为审核「{step.name}」。")
    return redirect(back)
