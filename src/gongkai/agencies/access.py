"""Who may see and change which agency — the one place every other app asks.

Rules:
- a system administrator (``is_superuser``) sees and administers every agency;
- an active membership gives its role in that agency (and write access to it);
- an active supervisor grant gives read-only access to every agency in the region and below;
- anything else is invisible: callers answer 404, never 403-with-details.
Inactive or anonymous users see nothing; inactive agencies stay visible but are read-only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import StartsWith
from django.http import Http404

from gongkai.agencies.models import Agency, Membership, Region, SupervisorGrant, User


def _is_active_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def agencies_visible_to(user: Any) -> QuerySet[Agency]:
    """Agencies the user may look at, in one query (memberships + supervised subtrees)."""
    if not _is_active_user(user):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    member = Membership.objects.filter(user=user, active=True, agency=OuterRef("pk"))
    supervised = SupervisorGrant.objects.filter(user=user, active=True).filter(
        StartsWith(OuterRef("region__path"), F("region__path"))
    )
    return Agency.objects.filter(Q(Exists(member)) | Q(Exists(supervised)))


def regions_supervised_by(user: Any) -> QuerySet[Region]:
    """Every region in the subtrees the user supervises (roots included)."""
    if not _is_active_user(user):
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    grants = SupervisorGrant.objects.filter(user=user, active=True).filter(
        StartsWith(OuterRef("path"), F("region__path"))
    )
    return Region.objects.filter(Exists(grants))


def user_roles(user: Any, agency: Agency) -> set[str]:
    """The roles the user holds in the agency through active memberships."""
    if not _is_active_user(user):
        return set()
    return set(
        Membership.objects.filter(user=user, agency=agency, active=True).values_list(
            "role", flat=True
        )
    )


def has_role(user: Any, agency: Agency, role: str) -> bool:
    if not _is_active_user(user):
        return False
    return Membership.objects.filter(user=user, agency=agency, role=role, active=True).exists()


def get_agency_for_user(user: Any, pk: Any) -> Agency:
    """The agency if the user may see it; otherwise 404 (also for malformed ids)."""
    try:
        agency_pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("没有找到该机关。") from None
    agency = agencies_visible_to(user).filter(pk=agency_pk).select_related("region").first()
    if agency is None:
        raise Http404("没有找到该机关。")
    return agency


def can_write(user: Any, agency: Agency) -> bool:
    """Whether the user may change anything of the agency (supervisors may not)."""
    if not _is_active_user(user) or not agency.active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, agency=agency, active=True).exists()


def is_staff_member(user: Any) -> bool:
    """Anyone who works on the platform: sysadmin, member of an agency, or supervisor."""
    if not _is_active_user(user):
        return False
    if user.is_superuser:
        return True
    member = Membership.objects.filter(user=OuterRef("pk"), active=True)
    supervisor = SupervisorGrant.objects.filter(user=OuterRef("pk"), active=True)
    return (
        User.objects.filter(pk=user.pk).filter(Q(Exists(member)) | Q(Exists(supervisor))).exists()
    )
