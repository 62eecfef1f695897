"""Helpers shared by the workspace views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from gongkai.signoff.errors import SignoffError
from gongkai.workspace.agency_context import page_context


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], nav: str = "", status: int = 200
) -> HttpResponse:
    return render(request, template, page_context(request, nav) | context, status=status)


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def refused(request: HttpRequest, error: SignoffError, to: str) -> HttpResponse:
    messages.error(request, error.message)
    return redirect(to)
