"""The one access function for applications: other agencies' cases are 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongkai.agencies.access import agencies_visible_to
from gongkai.applications.models import Application


def applications_visible_to(user: Any) -> QuerySet[Application]:
    return Application.objects.filter(agency__in=agencies_visible_to(user))


def get_application_for_user(user: Any, pk: Any) -> Application:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404("没有找到该申请。") from None
    application = (
        applications_visible_to(user).select_related("agency", "handler").filter(pk=key).first()
    )
    if application is None:
        raise Http404("没有找到该申请。")
    return application
