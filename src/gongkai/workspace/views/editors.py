"""编辑人员: the agency admin names who besides an item's author may edit drafts.

The rule itself lives in ``gongkai.signoff.authorship`` (only the author and named editors edit;
an approved revision is frozen); this page is its front door, so that naming or revoking an
editor needs no sysadmin and no Django admin.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from gongkai.agencies.models import Membership, Section
from gongkai.disclosure.access import is_agency_admin
from gongkai.security.methods import allow
from gongkai.signoff.authorship import name_editor, revoke_editor
from gongkai.signoff.errors import SignoffError
from gongkai.signoff.models import EditorGrant
from gongkai.workspace.agency_context import current_agency
from gongkai.workspace.views.common import render_page


class EditorForm(forms.Form):
    user = forms.ModelChoiceField(
        label="编辑人员",
        queryset=get_user_model().objects.none(),
        widget=forms.Select(attrs={"class": "field"}),
    )
    section = forms.ModelChoiceField(
        label="范围",
        queryset=Section.objects.none(),
        required=False,
        empty_label="全机关的草稿",
        help_text="选定科室时，只能修改该科室负责栏目的草稿。",
        widget=forms.Select(attrs={"class": "field"}),
    )

    def __init__(self, *args: Any, agency: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(agency=agency, active=True, user__is_active=True)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(pk__in=members.values("user_id"), is_superuser=False)
            .order_by("display_name", "username")
        )
        self.fields["user"].label_from_instance = _person
        self.fields["section"].queryset = Section.objects.filter(agency=agency, active=True)


def _person(user: Any) -> str:
    return str(user)  # 「姓名（用户名）」: two 王伟 in one agency stay apart


def _admin_agency(request: HttpRequest) -> Any:
    agency = current_agency(request)
    if agency is None or not is_agency_admin(request.user, agency):
        raise Http404("只有本机关管理员可以指定编辑人员。")
    return agency


@allow("GET", "POST")
@login_required
def editor_list(request: HttpRequest) -> HttpResponse:
    agency = _admin_agency(request)
    form = EditorForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            grant = name_editor(
                actor=request.user,
                agency=agency,
                user=form.cleaned_data["user"],
                section=form.cleaned_data["section"],
            )
        except SignoffError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已指定 {_person(grant.user)} 为编辑人员。")
            return redirect(reverse("workspace:editors"))
    grants = (
        EditorGrant.objects.filter(agency=agency, active=True)
        .select_related("user", "section", "granted_by")
        .order_by("section__name", "user__username")
    )
    return render_page(
        request,
        "workspace/agency/editors.html",
        {"agency": agency, "form": form, "grants": grants},
        nav="columns",
    )


@allow("POST")
@login_required
def editor_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _admin_agency(request)
    grant = get_object_or_404(EditorGrant, pk=pk, agency=agency, active=True)
    try:
        revoke_editor(grant, actor=request.user)
    except SignoffError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已撤销 {_person(grant.user)} 的编辑权限。")
    return redirect(reverse("workspace:editors"))
