"""行政复议 / 行政诉讼 register pages: the register with table 四 and its drill-down, intake,
and the case page with its verbs (record deadlines, record the decision, amend)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse

from gongkai.appeals import services, stats
from gongkai.appeals.access import appeals_visible_to, get_appeal_for_user
from gongkai.appeals.errors import AppealError
from gongkai.appeals.models import AppealCase
from gongkai.appeals.states import DECIDED_OUTCOMES, TRANSITIONS, Kind, Outcome
from gongkai.applications.access import applications_visible_to
from gongkai.eventlog.registry import label_for
from gongkai.eventlog.services import events_for
from gongkai.law.report_format import FORMAT_2021
from gongkai.security.methods import allow
from gongkai.workspace.agency_context import current_agency
from gongkai.workspace.views.applications_forms import (
    DATE_WIDGET,
    CleanForm,
    DayField,
    StatsForm,
    today,
)
from gongkai.workspace.views.common import render_page

LIST_LIMIT = 200


class AppealForm(CleanForm):
    application_number = forms.CharField(label="所涉申请编号", max_length=40)
    kind = forms.ChoiceField(label="类型", choices=Kind.choices)
    prior = forms.IntegerField(
        label="前置复议案件（登记号，复议后起诉时填写）", required=False, min_value=1
    )
    appellant = forms.CharField(label="申请人（原告）", max_length=200)
    other_parties = forms.CharField(label="第三人及其他当事人", max_length=500, required=False)
    body = forms.CharField(label="复议机关或人民法院", max_length=200)
    body_co_defendant = forms.BooleanField(label="复议机关为共同被告", required=False)
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    filed_on = DayField(label="立案（受理）日期")
    answer_due_on = forms.DateField(label="答复（答辩）期限", required=False, widget=DATE_WIDGET)
    evidence_due_on = forms.DateField(label="举证期限", required=False, widget=DATE_WIDGET)


class DeadlinesForm(CleanForm):
    answer_due_on = forms.DateField(label="答复（答辩）期限", required=False, widget=DATE_WIDGET)
    evidence_due_on = forms.DateField(label="举证期限", required=False, widget=DATE_WIDGET)


class DecisionForm(CleanForm):
    outcome = forms.ChoiceField(
        label="结果", choices=[c for c in Outcome.choices if c[0] in DECIDED_OUTCOMES]
    )
    decided_on = DayField(label="审结日期（决定或裁判送达之日）")
    note = forms.CharField(label="结果说明", widget=forms.Textarea, required=False, max_length=4000)


class AmendForm(CleanForm):
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    body = forms.CharField(label="复议机关或人民法院", max_length=200)
    other_parties = forms.CharField(label="第三人及其他当事人", max_length=500, required=False)
    filed_on = DayField(label="立案（受理）日期")
    reason = forms.CharField(label="更正理由", max_length=500)


def _deadlines(case: AppealCase, user: Any, d: dict[str, Any]) -> Any:
    return services.record_deadlines(
        case, actor=user, answer_due_on=d["answer_due_on"], evidence_due_on=d["evidence_due_on"]
    )


def _decide(case: AppealCase, user: Any, d: dict[str, Any]) -> Any:
    return services.record_decision(
        case, actor=user, outcome=d["outcome"], decided_on=d["decided_on"], note=d["note"]
    )


def _amend(case: AppealCase, user: Any, d: dict[str, Any]) -> Any:
    changes = {k: v for k, v in d.items() if k != "reason" and getattr(case, k) != v}
    return services.amend(case, actor=user, reason=d["reason"], **changes)


# verb -> (label, form, run); verbs are those of states.TRANSITIONS
ACTIONS: dict[str, tuple[str, type[forms.Form], Callable[..., Any]]] = {
    "record_deadlines": ("记录期限", DeadlinesForm, _deadlines),
    "record_decision": ("记录结果", DecisionForm, _decide),
    "amend": ("更正信息", AmendForm, _amend),
}


def _form(verb: str, case: AppealCase, data: Any = None) -> forms.Form:
    initial: dict[str, Any] = {}
    if verb == "record_deadlines":
        initial = {"answer_due_on": case.answer_due_on, "evidence_due_on": case.evidence_due_on}
    elif verb == "amend":
        initial = {
            f: getattr(case, f) for f in ("case_number", "body", "other_parties", "filed_on")
        }
    return ACTIONS[verb][1](data, prefix=verb, initial=initial)


def _handler_agency(request: HttpRequest) -> Any:
    agency = current_agency(request)
    if agency is None or not services.may_register(request.user, agency):
        raise Http404("您没有登记复议、诉讼案件的机关。")
    return agency


@allow("GET")
@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    """The register with table 四 of the chosen year; a cell link lists the cases behind it."""
    agency = current_agency(request)
    if agency is None:
        raise Http404("您没有所属机关。")
    form = StatsForm(request.GET if "year" in request.GET else {"year": today().year})
    year = form.cleaned_data["year"] if form.is_valid() else today().year
    block, column = request.GET.get("block", ""), request.GET.get("column", "")
    cell = None
    if block or column:
        try:
            rows = stats.table4_cases(agency, year, block, column)
        except KeyError:
            raise Http404("没有该统计格。") from None
        cell = (dict(Kind.choices)[block], FORMAT_2021.table4_cells[CELLS.index(column)].label)
    else:
        rows = appeals_visible_to(request.user).filter(agency=agency).select_related("application")
    table = stats.table4(agency, year)
    return render_page(
        request,
        "workspace/appeals/list.html",
        {
            "form": form,
            "year": year,
            "table": [(key, dict(Kind.choices)[key], table[key]) for key in stats.BLOCKS],
            "cells": FORMAT_2021.table4_cells,
            "rows": list(rows[:LIST_LIMIT]),
            "limit": LIST_LIMIT,
            "cell": cell,
            "can_register": services.may_register(request.user, agency),
        },
        nav="appeals",
    )


CELLS = stats.CELLS


@allow("GET", "POST")
@login_required
def appeal_create(request: HttpRequest) -> HttpResponse:
    agency = _handler_agency(request)
    form = AppealForm(
        request.POST or None, initial={"application_number": request.GET.get("app", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        application = (
            applications_visible_to(request.user)
            .filter(agency=agency, number=data.pop("application_number").strip())
            .first()
        )
        prior_pk = data.pop("prior")
        prior = None
        if prior_pk:
            prior = appeals_visible_to(request.user).filter(agency=agency, pk=prior_pk).first()
        if application is None:
            form.add_error("application_number", "本机关没有该编号的申请。")
        elif prior_pk and prior is None:
            form.add_error("prior", "本机关没有该登记号的复议案件。")
        else:
            try:
                case = services.register_appeal(
                    actor=request.user, application=application, prior=prior, **data
                )
            except AppealError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"已登记：{case}。")
                return redirect("workspace:appeal_detail", pk=case.pk)
    return render_page(
        request, "workspace/appeals/form.html", {"form": form, "agency": agency}, nav="appeals"
    )


@allow("GET")
@login_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_appeal_for_user(request.user, pk))


def _detail(
    request: HttpRequest, case: AppealCase, bound: tuple[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    can_register = services.may_register(request.user, case.agency)
    forms_ = []
    if can_register:
        for verb, (sources, _) in TRANSITIONS.items():
            if case.status in sources:
                form = bound[1] if bound and bound[0] == verb else _form(verb, case)
                forms_.append((verb, ACTIONS[verb][0], form))
    history = [(event, label_for(event.action)) for event in events_for(case).order_by("seq")]
    return render_page(
        request,
        "workspace/appeals/detail.html",
        {
            "case": case,
            "forms": forms_,
            "open_verb": bound[0] if bound else "",
            "history": history,
            "follow_ups": list(case.follow_ups.all()),
        },
        nav="appeals",
        status=status,
    )


@allow("POST")
@login_required
def appeal_act(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    case = get_appeal_for_user(request.user, pk)
    if verb not in ACTIONS:
        raise Http404("没有该操作。")
    back = reverse("workspace:appeal_detail", args=[case.pk])
    if not services.may_register(request.user, case.agency):
        messages.error(request, "您没有登记该机关复议、诉讼案件的权限。")
        return redirect(back)
    form = _form(verb, case, request.POST)
    if not form.is_valid():
        return _detail(request, case, bound=(verb, form), status=400)
    try:
        ACTIONS[verb][2](case, request.user, form.cleaned_data)
    except AppealError as error:
        form.add_error(None, error.message)
        return _detail(request, case, bound=(verb, form), status=400)
    messages.success(request, f"已完成：{ACTIONS[verb][0]}。")
    return redirect(back)


urlpatterns = [
    path("appeals/", appeal_list, name="appeal_list"),
    path("appeals/new/", appeal_create, name="appeal_create"),
    path("appeals/<int:pk>/", appeal_detail, name="appeal_detail"),
    path("appeals/<int:pk>/<str:verb>/", appeal_act, name="appeal_act"),
]
