"""Read-side queries of the sign-off engine, shaped for the staff workspace."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from gongkai.agencies.access import agencies_visible_to, user_roles
from gongkai.signoff.models import Chain, Step, StepDecision
from gongkai.signoff.states import ChainStatus, StepStatus


def steps_awaiting(user: Any, agency: Any) -> QuerySet[Step]:
    """Active steps of ``agency`` that ``user`` may decide: by role, or delegated to them."""
    roles = list(user_roles(user, agency)) if agency is not None else []
    mine = Q(delegated_to=user)
    if roles:
        mine |= Q(role__in=roles)
    scope = Q(chain__agency=agency) if agency is not None else Q(pk__in=[])
    return (
        Step.objects.filter(
            scope,
            mine,
            status=StepStatus.ACTIVE,
            chain__status=ChainStatus.IN_REVIEW,
        )
        .select_related("chain", "chain__submitted_by", "delegated_by", "delegated_to")
        .order_by("activated_at", "pk")
    )


def returned_submissions(user: Any, agency: Any) -> QuerySet[Chain]:
    return Chain.objects.filter(
        agency=agency, submitted_by=user, status=ChainStatus.RETURNED
    ).order_by("-updated_at", "-pk")


def submissions_of(user: Any, agency: Any) -> QuerySet[Chain]:
    return Chain.objects.filter(agency=agency, submitted_by=user).order_by("-updated_at", "-pk")


def steps_visible_to(user: Any) -> QuerySet[Step]:
    """Every step of an agency the user may see; other agencies' steps do not exist (404)."""
    return Step.objects.filter(chain__agency__in=agencies_visible_to(user)).select_related(
        "chain", "chain__agency", "chain__submitted_by", "chain__content_type"
    )


def chains_visible_to(user: Any) -> QuerySet[Chain]:
    return Chain.objects.filter(agency__in=agencies_visible_to(user))


def history(chain: Chain) -> QuerySet[StepDecision]:
    """Every decision on the chain, all rounds, oldest first."""
    return (
        StepDecision.objects.filter(step__chain=chain)
        .select_related("step", "actor", "on_behalf_of")
        .order_by("at", "pk")
    )


def latest_return(chain: Chain) -> StepDecision | None:
    return (
        StepDecision.objects.filter(step__chain=chain, decision="return")
        .select_related("step", "actor")
        .order_by("-at", "-pk")
        .first()
    )


def chains_for(obj: Any) -> QuerySet[Chain]:
    """Every chain of one object, newest first."""
    return Chain.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).order_by("-created_at", "-pk")
