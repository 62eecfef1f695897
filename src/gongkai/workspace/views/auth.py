"""Login, logout and the lockout page (django-axes decides when; this says so in Chinese)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.security.forms import HardenedMixin
from gongkai.workspace.agency_context import page_context
from gongkai.workspace.demo_data import DEMO_ACCOUNTS, DEMO_PASSWORD


class LoginForm(HardenedMixin, AuthenticationForm):
    """Django's form with the length limit actually enforced before authenticate() runs.

    AuthenticationForm sets ``max_length`` after construction, which adds no validator: an
    over-long name reached django-axes, whose 255-character column made it a 500 on PostgreSQL.
    """


class LoginView(auth_views.LoginView):
    template_name = "workspace/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_redirect_url(self) -> str:
        # ?next=<the login page> for a signed-in user was a redirect loop (Django raises).
        url = super().get_redirect_url()
        if url and urlsplit(url).path == self.request.path:
            return ""
        return url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(page_context(self.request))
        if getattr(settings, "GONGKAI_DEMO", False):
            context["demo_accounts"] = DEMO_ACCOUNTS
            context["demo_password"] = DEMO_PASSWORD
        return context


class LogoutView(auth_views.LogoutView):
    pass


def _minutes(value: Any) -> int | None:
    if isinstance(value, timedelta):
        return max(1, int(value.total_seconds() // 60))
    if isinstance(value, int | float):  # axes accepts hours as a number
        return max(1, int(value * 60))
    return None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a readable Chinese page instead of axes' English text."""
    minutes = _minutes(getattr(settings, "AXES_COOLOFF_TIME", None))
    context = page_context(request) | {
        "cooloff_time": f"{minutes} 分钟" if minutes else "",
    }
    return render(request, "workspace/lockout.html", context, status=429)
