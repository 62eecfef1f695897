"""Who sees which collected report, finding and notice.

* A supervisor (an active ``SupervisorGrant``) sees the files of the regions granted to them
  and of every region below; a system administrator sees all.
* An agency's members see their own agency's reports, findings and notices — never their
  neighbours'.
* Anything else is a 404 (``Http404``), never a 403 that would confirm the object exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import StartsWith
from django.http import Http404

from gongkai.agencies.access import regions_supervised_by
from gongkai.agencies.models import Membership, Region, SupervisorGrant
from gongkai.supervision.models import Batch, Finding, Notice, ReportFile, ReportVersion


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_supervisor(user: Any) -> bool:
    if not _active(user):
        return False
    return user.is_superuser or SupervisorGrant.objects.filter(user=user, active=True).exists()


def remember_supervisor(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """At login, note in the session whether the user supervises (the top bar's link)."""
    session = getattr(request, "session", None)
    if session is not None:
        session["gongkai_supervises"] = is_supervisor(user)


def grant_regions(user: Any) -> QuerySet[Region]:
    """The roots a supervisor may collect for (the regions named in their grants)."""
    if not _active(user):
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.filter(parent__isnull=True)
    return Region.objects.filter(supervisor_grants__user=user, supervisor_grants__active=True)


def _supervised(user: Any, region_field: str) -> Q:
    """Rows whose ``region_field`` lies in a subtree the user supervises."""
    grants = SupervisorGrant.objects.filter(user=user, active=True).filter(
        StartsWith(OuterRef(f"{region_field}__path"), F("region__path"))
    )
    return Q(Exists(grants))


def _member_of(user: Any, agency_field: str) -> Q:
    member = Membership.objects.filter(user=user, active=True, agency=OuterRef(agency_field))
    return Q(Exists(member))


def batches_visible_to(user: Any) -> QuerySet[Batch]:
    if not _active(user):
        return Batch.objects.none()
    if user.is_superuser:
        return Batch.objects.all()
    return Batch.objects.filter(_supervised(user, "region"))


def files_supervised_by(user: Any) -> QuerySet[ReportFile]:
    if not _active(user):
        return ReportFile.objects.none()
    if user.is_superuser:
        return ReportFile.objects.all()
    return ReportFile.objects.filter(_supervised(user, "region"))


def versions_visible_to(user: Any) -> QuerySet[ReportVersion]:
    """Supervised files' versions, plus the own agency's for its members."""
    if not _active(user):
        return ReportVersion.objects.none()
    if user.is_superuser:
        return ReportVersion.objects.all()
    return ReportVersion.objects.filter(
        _supervised(user, "file__region") | _member_of(user, "agency")
    )


def notices_visible_to(user: Any) -> QuerySet[Notice]:
    if not _active(user):
        return Notice.objects.none()
    if user.is_superuser:
        return Notice.objects.all()
    return Notice.objects.filter(_supervised(user, "region") | _member_of(user, "agency"))


def can_supervise(user: Any, region: Region) -> bool:
    """Whether the user may collect, review and notify for this region."""
    if not _active(user):
        return False
    return regions_supervised_by(user).filter(pk=region.pk).exists()


def _pk(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Http404("没有找到。") from None


def get_batch_for_user(user: Any, pk: Any) -> Batch:
    batch = batches_visible_to(user).select_related("region").filter(pk=_pk(pk)).first()
    if batch is None:
        raise Http404("没有找到该批次。")
    return batch


def get_file_for_supervisor(user: Any, pk: Any) -> ReportFile:
    found = files_supervised_by(user).select_related("region").filter(pk=_pk(pk)).first()
    if found is None:
        raise Http404("没有找到该文件。")
    return found


def get_version_for_user(user: Any, pk: Any) -> ReportVersion:
    version = (
        versions_visible_to(user)
        .select_related("file", "file__region", "agency", "agency__region", "previous")
        .filter(pk=_pk(pk))
        .first()
    )
    if version is None:
        raise Http404("没有找到该报告。")
    return version


def get_finding_for_supervisor(user: Any, pk: Any) -> Finding:
    if not _active(user):
        raise Http404("没有找到该问题。")
    qs = Finding.objects.select_related("version", "version__file", "version__file__region")
    if not user.is_superuser:
        qs = qs.filter(_supervised(user, "version__file__region"))
    finding = qs.filter(pk=_pk(pk)).first()
    if finding is None:
        raise Http404("没有找到该问题。")
    return finding


def get_notice_for_user(user: Any, pk: Any) -> Notice:
    notice = (
        notices_visible_to(user)
        .select_related("agency", "region", "version", "created_by")
        .filter(pk=_pk(pk))
        .first()
    )
    if notice is None:
        raise Http404("没有找到该整改通知。")
    return notice


def supervises_notice(user: Any, notice: Notice) -> bool:
    return can_supervise(user, notice.region)
