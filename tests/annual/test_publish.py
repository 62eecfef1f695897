"""One sign-off (公开办 → 分管领导) is the publication decision: on approval a background job
renders the report and publishes it to the 年报 column; failures are kept with their reason and
retried without duplicates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gongkai.annual import services
from gongkai.annual.errors import IllegalTransitionError
from gongkai.annual.models import AnnualReport, PublishState
from gongkai.annual.states import ReportStatus
from gongkai.disclosure import services as disclosure
from gongkai.disclosure.errors import (
    IllegalItemTransitionError,
    RevisionNotApprovedError,
)
from gongkai.eventlog.models import Event
from gongkai.signoff import services as signoff
from gongkai.signoff.selectors import chains_for

pytestmark = pytest.mark.django_db

FROZEN = datetime(2027, 1, 5, tzinfo=UTC)


def _approve(chain, people, capture):
    for person in people:
        with capture(execute=True):
            step = chain.steps.get(status="active", round=chain.round)
            signoff.approve_step(step, actor=person, revision_hash=chain.revision_hash)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submitted(year_of_cases, drafter, petition_bureau, report_template, media, capture):
    report = services.generate_draft(actor=drafter, agency=petition_bureau, year=2026, now=FROZEN)
    with capture(execute=True):
        chain = services.submit(report, actor=drafter, revision_hash=report.signoff_revision())
    return report, chain


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_the_leaders_signature_publishes_the_report(submitted, reviewer, signer, capture):
    report, chain = submitted
    with pytest.raises(IllegalTransitionError):
        services.request_publication(report, actor=report.author)
    _approve(chain, (reviewer, signer), capture)  # the job runs on commit (immediate backend)
    report.refresh_from_db()
    assert (report.status, report.publish_state) == (ReportStatus.PUBLISHED, PublishState.DONE)
    item = report.published_item
    assert (item.status, item.column.kind) == ("published", "annual_report")
    assert report.published_at == item.first_published_at
    assert item.signer == signer
    assert item.publisher == report.author
    assert sorted(a.file_type for a in item.attachments.all()) == ["docx", "pdf"]
    assert "收到和处理政府信息公开申请情况" in item.body
    assert not chains_for(item).exists()  # no second review in the column
    approved = Event.objects.get(action="disclosure.item_approved", object_id=str(item.pk))
    assert approved.after["chain"] == chain.pk
    assert approved.after["chain_purpose"] == "annual_report"
    assert Event.objects.filter(action="disclosure.item_published").count() == 1
    # a duplicate job does nothing; a retry of a published report is refused
    assert services.run_publication(report.pk) is None
    with pytest.raises(IllegalTransitionError):
        services.request_publication(report, actor=report.author)
    # … and the published report joins its supervisors' board, audited with no error
    from gongkai.supervision.models import FileStatus, ReportFile  # noqa: PLC0415

    collected = ReportFile.objects.get(agency=report.agency, year=2026)
    assert (collected.status, collected.match_state) == (FileStatus.AUDITED, "assigned")
    assert collected.version.errors == 0
    assert collected.version.report_json["table3"] == report.tables["table3"]


def test_a_failure_is_kept_and_a_retry_reuses_the_item(
    year_of_cases, drafter, reviewer, signer, petition_bureau, report_template, media, capture
):
    report = services.generate_draft(actor=drafter, agency=petition_bureau, year=2026, now=FROZEN)
    # personal data in the text: the personal-data check of the item stops publication
    report = services.edit_section(
        report, actor=drafter, key="problems", text="申请人（身份证号 11010519491231002X）投诉。"
    )
    with capture(execute=True):
        chain = services.submit(report, actor=drafter, revision_hash=report.signoff_revision())
    _approve(chain, (reviewer, signer), capture)
    report.refresh_from_db()
    assert (report.status, report.publish_state) == (ReportStatus.APPROVED, PublishState.FAILED)
    assert report.publish_error == services.FINDINGS_REASON
    assert Event.objects.filter(action="annual.publish_failed").count() == 1
    item = report.published_item
    assert item.status == "draft"
    attachments = sorted(item.attachments.values_list("pk", flat=True))
    for finding in disclosure.open_findings(item):
        disclosure.acknowledge_finding(finding, actor=reviewer, reason="年报正文引用，已确认")
    with capture(execute=True):
        services.request_publication(report, actor=drafter)
    report.refresh_from_db()
    assert (report.status, report.publish_state) == (ReportStatus.PUBLISHED, PublishState.DONE)
    assert report.publish_error == ""
    assert report.published_item_id == item.pk  # the same item …
    # … with the same attachments (same frozen report, same bytes, nothing added)
    assert sorted(item.attachments.values_list("pk", flat=True)) == attachments
    assert AnnualReport.objects.get(pk=report.pk).published_item.status == "published"


@pytest.fixture
def no_worker(monkeypatch):
    """The publication job is enqueued, but no worker runs it."""
    queued: list[int] = []
    monkeypatch.setattr(services, "_enqueue", queued.append)
    return queued


def test_publishing_is_refused_while_it_runs(submitted, reviewer, signer, capture, no_worker):
    report, chain = submitted
    _approve(chain, (reviewer, signer), capture)
    report.refresh_from_db()
    assert report.publishing
    assert no_worker == [report.pk]
    with pytest.raises(IllegalTransitionError, match="正在发布"):
        services.request_publication(report, actor=report.author)


def test_publish_approved_by_checks_the_chain(
    submitted, reviewer, signer, capture, item_template, no_worker
):
    from gongkai.disclosure.models import Column  # noqa: PLC0415

    report, chain = submitted
    author = report.author
    column = Column.objects.get(agency=report.agency, kind="annual_report")
    item = disclosure.create_item(actor=author, column=column, title="年报")
    with pytest.raises(RevisionNotApprovedError):  # still in review
        disclosure.publish_approved_by(item, actor=author, chain=chain)
    _approve(chain, (reviewer, signer), capture)
    chain.refresh_from_db()
    # an item in its own review is not published past it; its own chain is not "another chain"
    with capture(execute=True):
        own = disclosure.submit_item(item, actor=author, revision_hash=item.signoff_revision())
    with pytest.raises(IllegalItemTransitionError):
        disclosure.publish_approved_by(item, actor=author, chain=chain)
    _approve(own, (signer,), capture)
    with pytest.raises(RevisionNotApprovedError):
        disclosure.publish_approved_by(item, actor=author, chain=own)
    # the report edited after it was signed: its chain no longer covers it
    draft = disclosure.create_item(actor=author, column=column, title="年报")
    report.refresh_from_db()
    services.edit_section(report, actor=author, key="problems", text="签发后又改了。")
    with pytest.raises(RevisionNotApprovedError, match="重新签发"):
        disclosure.publish_approved_by(draft, actor=author, chain=chain)
    # and a drafter-less actor may not publish at all
    from gongkai.disclosure.errors import NotPermittedError  # noqa: PLC0415

    with pytest.raises(NotPermittedError):
        disclosure.publish_approved_by(draft, actor=reviewer, chain=chain)
