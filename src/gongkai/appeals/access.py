"""The one access function for appeal cases: other agencies' cases are 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongkai.agencies.access import agencies_visible_to
from gongkai.appeals.models import AppealCase


def appeals_visible_to(user: Any) -> QuerySet[AppealCase]:
    return AppealCase.objects.filter(agency__in=agencies_visible_to(user))


def get_appeal_for_user(user: Any, pk: Any) -> AppealCase:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404("没有找到该案件。") from None
    case = (
        appeals_visible_to(user)
        .select_related("agency", "application", "reopened_application", "prior", "handler")
        .filter(pk=key)
        .first()
    )
    if case is None:
        raise Http404("没有找到该案件。")
    return case
