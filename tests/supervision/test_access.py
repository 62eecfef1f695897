"""Supervisors see their regions' reports only; agencies see their own, not their neighbours'."""

from __future__ import annotations

import pytest
from django.http import Http404

from gongkai.agencies.services import create_user, grant_supervision
from gongkai.supervision import access, services
from gongkai.supervision.models import FindingState

pytestmark = pytest.mark.django_db


@pytest.fixture
def far_supervisor(other_city):
    user = create_user(username="far_supervisor", password="x" * 12)
    grant_supervision(user=user, region=other_city)
    return user


def test_supervisor_sees_own_region_only(audited, supervisor, far_supervisor, sysadmin):
    version = audited()
    assert access.get_version_for_user(supervisor, version.pk) == version
    assert access.get_version_for_user(sysadmin, version.pk) == version
    with pytest.raises(Http404):
        access.get_version_for_user(far_supervisor, version.pk)
    with pytest.raises(Http404):
        access.get_batch_for_user(far_supervisor, version.file.batch_id)
    with pytest.raises(Http404):
        access.get_finding_for_supervisor(far_supervisor, version.findings.first().pk)


def test_agency_sees_own_reports_and_notices_not_neighbours(
    audited, supervisor, agency_admin, outsider
):
    version = audited()
    services.review_finding(
        version.findings.get(rule="S1"), actor=supervisor, to=FindingState.CONFIRMED
    )
    notice = services.send_notice(version, actor=supervisor)
    assert access.get_version_for_user(agency_admin, version.pk) == version
    assert access.get_notice_for_user(agency_admin, notice.pk) == notice
    for pk_getter in (access.get_version_for_user, access.get_notice_for_user):
        with pytest.raises(Http404):
            pk_getter(
                outsider, version.pk if pk_getter is access.get_version_for_user else notice.pk
            )
    # members of an agency are not supervisors: the file and findings pages stay closed
    with pytest.raises(Http404):
        access.get_finding_for_supervisor(agency_admin, version.findings.first().pk)
    with pytest.raises(Http404):
        access.get_file_for_supervisor(agency_admin, version.file_id)


def test_malformed_ids_are_404(supervisor):
    for raw in ("abc", None, "1; drop"):
        with pytest.raises(Http404):
            access.get_version_for_user(supervisor, raw)
