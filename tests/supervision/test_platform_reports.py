"""A report published on the platform itself joins its agency's supervision (collect_published)."""

from __future__ import annotations

import pytest

from gongkai.supervision import services
from gongkai.supervision.board import build_board
from gongkai.supervision.errors import SupervisionError
from gongkai.supervision.models import FileStatus, MatchState, ReportFile

pytestmark = pytest.mark.django_db


def test_a_published_report_is_assigned_audited_and_on_the_board(
    signer, petition_bureau, city, report_bytes, django_capture_on_commit_callbacks
):
    data = report_bytes(year=2025)
    with django_capture_on_commit_callbacks(execute=True):
        stored = services.collect_published(
            actor=signer, agency=petition_bureau, year=2025, name="2025年度报告.html", data=data
        )
    stored.refresh_from_db()
    assert stored.status == FileStatus.AUDITED
    assert stored.match_state == MatchState.ASSIGNED
    assert (stored.agency, stored.year, stored.uploaded_by) == (petition_bureau, 2025, signer)
    assert stored.version.is_current
    board = build_board(city, [2025])
    [row] = [r for r in board.rows if r.agency.pk == petition_bureau.pk]
    [cell] = row.cells
    assert cell.state != "missing"


def test_the_same_report_published_again_is_one_file(
    signer, petition_bureau, report_bytes, django_capture_on_commit_callbacks
):
    data = report_bytes(year=2025)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.collect_published(
            actor=signer, agency=petition_bureau, year=2025, name="a.html", data=data
        )
        again = services.collect_published(
            actor=signer, agency=petition_bureau, year=2025, name="b.html", data=data
        )
    assert first.pk == again.pk
    assert ReportFile.objects.count() == 1


def test_bytes_that_are_no_report_file_are_refused(signer, petition_bureau):
    with pytest.raises(SupervisionError):
        services.collect_published(
            actor=signer, agency=petition_bureau, year=2025, name="空.html", data=b"  "
        )
    assert not ReportFile.objects.exists()
