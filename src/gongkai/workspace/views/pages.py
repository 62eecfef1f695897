"""Inbox, agency switcher, my submissions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from gongkai.security.methods import allow
from gongkai.signoff import selectors
from gongkai.workspace.agency_context import current_agency, switch_agency
from gongkai.workspace.inbox import build_inbox
from gongkai.workspace.views.common import render_page, safe_next


@allow("GET")
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    sections = build_inbox(request.user, agency)
    total = sum(len(section.entries) for section in sections)
    return render_page(
        request, "workspace/inbox.html", {"sections": sections, "total": total}, nav="inbox"
    )


@allow("POST")
@login_required
def switch(request: HttpRequest) -> HttpResponse:
    switch_agency(request, request.POST.get("agency"))
    return redirect(safe_next(request, reverse("workspace:inbox")))


@allow("GET")
@login_required
def submissions(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    chains = list(selectors.submissions_of(request.user, agency)) if agency else []
    return render_page(
        request,
        "workspace/submissions.html",
        {"chains": chains},
        nav="submissions",
    )


@allow("GET")
@login_required
def chain_open(request: HttpRequest, pk: int) -> HttpResponse:
    """A chain's page is its object's page; the redirect keeps list queries generic-free."""
    chain = get_object_or_404(selectors.chains_visible_to(request.user), pk=pk)
    obj = chain.content_object
    url = getattr(obj, "get_absolute_url", None)
    if obj is None or url is None:
        return redirect(reverse("workspace:inbox"))
    return redirect(url())
