"""The 政府信息公开指南 drafted from the agency's settings (gongkai.disclosure.guide)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gongkai.disclosure import services
from gongkai.disclosure.errors import DisclosureError
from gongkai.disclosure.states import ItemStatus
from gongkai.security.methods import allow
from gongkai.signoff.errors import SignoffError
from gongkai.workspace.agency_context import current_agency


@allow("POST")
@login_required
def guide_draft(request: HttpRequest) -> HttpResponse:
    """Create (or refresh) the guide draft of the current agency, then open it for editing."""
    agency = current_agency(request)
    if agency is None:
        raise Http404("您没有可以管理的机关。")
    try:
        item = services.draft_guide(agency, actor=request.user)
    except (DisclosureError, SignoffError) as error:
        messages.error(request, error.message)
        return redirect(reverse("workspace:disclosure_columns"))
    if item.status != ItemStatus.DRAFT:
        # update_item changed nothing: the item already says what the settings say.
        messages.info(request, "指南内容与本机关登记信息一致，无需更新。")
        return redirect(item.get_absolute_url())
    messages.success(
        request,
        "已根据本机关登记的工作机构信息生成政府信息公开指南草稿，请核对、修改后送审；"
        "审核通过并发布前，门户继续显示已发布的版本（尚未发布时显示自动生成的文本）。",
    )
    return redirect(item.get_absolute_url())
