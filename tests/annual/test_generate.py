"""The draft from the records: tables as counted, rules from the auditor, render → audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gongkai.annual import render, services
from gongkai.annual.cells import cell_records
from gongkai.annual.errors import BlockingFindingsError, OverrideError
from gongkai.annual.states import ReportStatus
from gongkai.reportdoc.checks import audit
from gongkai.reportdoc.reader import extract_bytes, parse_checked
from gongkai.signoff import services as signoff

pytestmark = pytest.mark.django_db

FROZEN = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)


@pytest.fixture
def draft(year_of_cases, handler, petition_bureau):
    return services.generate_draft(actor=handler, agency=petition_bureau, year=2026, now=FROZEN)


def test_tables_are_counted_from_the_records(draft):
    t3 = draft.tables["table3"]
    assert t3["new_received"]["total"] == 3
    assert t3["new_received"]["commercial"] == 1
    assert t3["carried_over"]["natural_person"] == 1
    assert t3["granted"]["natural_person"] == 1
    assert t3["partially_granted"]["commercial"] == 1
    assert t3["denied_internal_affairs"]["natural_person"] == 1
    assert t3["total_processed"]["total"] == 3
    assert t3["carried_forward"]["total"] == 1
    assert draft.frozen_at == FROZEN
    assert draft.version == 1
    assert "收到政府信息公开申请3件" in draft.sections["overview"]
    assert "未收取信息处理费" in draft.sections["other"]
    assert draft.error_findings == []
    rules = {f["rule"] for f in draft.findings}
    assert not rules & {"S1", "T1", "T2", "T4", "N1", "X1"}


def test_override_needs_a_reason_and_errors_block_submission(draft, handler, report_template):
    with pytest.raises(OverrideError):
        services.override_cell(
            draft, actor=handler, path="table3.granted.natural_person", value=5, reason=" "
        )
    draft = services.override_cell(
        draft, actor=handler, path="table3.granted.natural_person", value=5, reason="补录纸质申请"
    )
    assert draft.tables["table3"]["granted"]["natural_person"] == 5
    assert {"T1", "T2"} <= {f["rule"] for f in draft.error_findings}
    assert draft.versions.count() == 2
    with pytest.raises(BlockingFindingsError):
        services.submit(draft, actor=handler, revision_hash=draft.signoff_revision())
    draft = services.clear_override(draft, actor=handler, path="table3.granted.natural_person")
    assert draft.error_findings == []


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_render_then_audit_gives_the_same_numbers(draft, fmt):
    data = _render_once(draft, fmt)
    read = parse_checked(extract_bytes(data, f"report.{fmt}"))
    assert read.year == 2026
    assert read.table3 == draft.tables["table3"]
    for key, cells in draft.tables["table2"].items():
        for col, value in cells.items():
            got = read.table2.get(key, {}).get(col)
            assert (float(got) if got is not None else None) == value, (key, col)
    errors = [f for f in audit(read).findings if f.severity == "error"]
    assert errors == []


def test_sign_off_approves_the_report(
    draft, handler, reviewer, signer, report_template, django_capture_on_commit_callbacks
):
    draft = services.edit_section(draft, actor=handler, key="problems", text="存在的问题：……")
    with django_capture_on_commit_callbacks(execute=True):
        chain = services.submit(draft, actor=handler, revision_hash=draft.signoff_revision())
    draft.refresh_from_db()
    assert draft.status == ReportStatus.IN_REVIEW
    for actor in (reviewer, signer):
        with django_capture_on_commit_callbacks(execute=True):
            step = chain.steps.get(status="active")
            signoff.approve_step(step, actor=actor, revision_hash=chain.revision_hash)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.APPROVED
    # the handler who submitted it may not put items into the 年报 column: the publication job
    # stops (before rendering) with the reason, and the report stays signed
    assert draft.publish_state == "failed"
    assert "不是示范市信访局的信息起草人员或管理员" in draft.publish_error


_RENDERED: dict[tuple[str, str], bytes] = {}


def _render_once(report, fmt: str) -> bytes:
    """The draft is the same in every test of this module (same records, same frozen time), so
    its renderings are shared: each test that only reads one takes the first one made."""
    key = (fmt, report.signoff_revision())
    if key not in _RENDERED:
        _RENDERED[key] = render.render(report, fmt)
    return _RENDERED[key]


@pytest.mark.parametrize(
    "fmt",
    [
        "json",
        "html",
        "docx",
        "pdf",
    ],
)
def test_same_frozen_report_gives_the_same_bytes(draft, fmt):
    assert render.render(draft, fmt) == _render_once(draft, fmt)


def test_every_table3_cell_lists_as_many_cases_as_it_counts(draft):
    for row, cells in draft.tables["table3"].items():
        for column, value in cells.items():
            _, records = cell_records(draft, f"table3.{row}.{column}")
            assert records.count() == value, (row, column)
