"""Sign-off (公开办 → 分管领导) and publication into the 年报 column with the renderings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gongkai.annual import services
from gongkai.annual.errors import IllegalTransitionError
from gongkai.annual.states import ReportStatus
from gongkai.disclosure import services as disclosure
from gongkai.signoff import services as signoff

pytestmark = pytest.mark.django_db


def _approve(chain, people, capture):
    for person in people:
        with capture(execute=True):
            step = chain.steps.get(status="active", round=chain.round)
            signoff.approve_step(step, actor=person, revision_hash=chain.revision_hash)


def test_signed_report_is_published_in_the_annual_column(
    year_of_cases,
    handler,
    drafter,
    reviewer,
    signer,
    petition_bureau,
    report_template,
    item_template,
    django_capture_on_commit_callbacks,
    settings,
    tmp_path,
):
    report = services.generate_draft(
        actor=drafter, agency=petition_bureau, year=2026, now=datetime(2027, 1, 5, tzinfo=UTC)
    )
    with pytest.raises(IllegalTransitionError):
        services.publish_report(report, actor=drafter)
    with django_capture_on_commit_callbacks(execute=True):
        chain = services.submit(report, actor=drafter, revision_hash=report.signoff_revision())
    _approve(chain, (reviewer, signer), django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    item = services.publish_report(report, actor=drafter)
    assert item.column.kind == "annual_report"
    names = sorted(a.file_type for a in item.attachments.all())
    assert names == ["docx", "pdf"]
    assert "收到和处理政府信息公开申请情况" in item.body
    item_chain = signoff.open_chain_for(item)
    _approve(item_chain, (signer,), django_capture_on_commit_callbacks)
    item.refresh_from_db()
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        disclosure.publish_item(item, actor=drafter)
    # the item going public publishes the report at once (no wait for the daily job) …
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert report.published_at is not None
    assert services.sync_publication(report).status == ReportStatus.PUBLISHED  # idempotent
    # … and it joins its supervisors' board, audited like a collected report, with no error
    from gongkai.supervision.models import FileStatus, ReportFile  # noqa: PLC0415

    collected = ReportFile.objects.get(agency=petition_bureau, year=2026)
    assert (collected.status, collected.match_state) == (FileStatus.AUDITED, "assigned")
    assert collected.version.errors == 0
    assert collected.version.report_json["table3"] == report.tables["table3"]
