"""Receiving files: by content, ZIP archives within limits, duplicates by hash, the pipeline."""

from __future__ import annotations

import io
import zipfile

import pytest

from gongkai.eventlog.models import Event
from gongkai.supervision import services
from gongkai.supervision.errors import SupervisionError
from gongkai.supervision.intake import IntakeLimits, expand
from gongkai.supervision.models import FileStatus, MatchState, ReportFile

pytestmark = pytest.mark.django_db


def test_one_file_is_read_matched_and_audited(upload, petition_bureau, report_bytes):
    result = upload({"报告.html": report_bytes(flaw="s1")})
    (report_file,) = result.received
    report_file.refresh_from_db()
    assert report_file.status == FileStatus.AUDITED
    assert (report_file.agency, report_file.year) == (petition_bureau, 2023)
    assert report_file.match_state == MatchState.MATCHED
    assert report_file.kind == "html"
    version = report_file.version
    assert version.is_current
    assert version.report_json["table3"]["new_received"]["natural_person"] is not None
    assert "provenance" in version.report_json
    rules = set(version.findings.values_list("rule", flat=True))
    assert {"S1", "T2"} <= rules
    assert version.errors >= 2
    actions = set(Event.objects.values_list("action", flat=True))
    assert {"supervision.batch_create", "supervision.file_receive", "supervision.file_audit"} <= (
        actions
    )


def test_same_bytes_again_are_recognised_not_duplicated(upload, petition_bureau, report_bytes):
    data = report_bytes()
    first = upload({"a.html": data})
    second = upload({"renamed.htm": data})
    assert second.received == []
    assert [f.pk for f in second.duplicates] == [first.received[0].pk]
    assert second.batch is None  # nothing new: no empty batch
    assert ReportFile.objects.count() == 1


def test_zip_members_are_received_and_hidden_entries_skipped(
    upload, make_zip, petition_bureau, other_agency, report_bytes
):
    archive = make_zip(
        {
            "年报/信访局.html": report_bytes(),
            "年报/自然资源局.html": report_bytes("示范市自然资源和规划局", seed=2),
            "__MACOSX/._信访局.html": b"junk",
            ".DS_Store": b"junk",
        }
    )
    result = upload({"全市年报.zip": archive})
    assert len(result.received) == 2
    assert {f.agency for f in ReportFile.objects.all()} == {petition_bureau, other_agency}
    assert all(f.name.startswith("全市年报.zip/年报/") for f in result.received)


class _GbkName(zipfile.ZipInfo):
    """A member name stored as Chinese Windows' archivers do: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits


def test_gbk_member_names_are_decoded():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_GbkName("信访局.txt"), "一、总体情况\n本年度。".encode())
    (item,) = expand("a.zip", buffer.getvalue())
    assert item.name == "a.zip/信访局.txt"


def test_type_is_told_by_content_not_name(report_bytes):
    (item,) = expand("report.pdf", report_bytes())
    assert item.kind == "html"
    (refused,) = expand("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert "图片" in refused.reason


def test_zip_bomb_member_is_refused(make_zip):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"0" * (20 * 1024 * 1024))
        archive.writestr("ok.txt", "一、总体情况\n本年度，本机关认真贯彻落实条例。\n".encode())
    items = expand("x.zip", buffer.getvalue())
    bomb = next(i for i in items if i.name.endswith("bomb.txt"))
    assert "压缩炸弹" in bomb.reason


def test_archive_too_large_unpacked_or_too_many_members_is_refused(make_zip):
    archive = make_zip({f"{n}.txt": b"x" * 1000 for n in range(5)})
    (too_many,) = expand("x.zip", archive, IntakeLimits(max_files=4))
    assert "上限" in too_many.reason
    (too_big,) = expand("x.zip", archive, IntakeLimits(max_unpacked_bytes=4000))
    assert "压缩炸弹" in too_big.reason


def test_oversize_file_is_refused(upload, report_bytes):
    (refused,) = expand("big.html", report_bytes(), IntakeLimits(max_file_bytes=100))
    assert "上限" in refused.reason


def test_nested_archive_is_not_expanded(make_zip):
    inner = make_zip({"a.txt": b"x"})
    (item,) = expand("outer.zip", make_zip({"inner.zip": inner}))
    assert "压缩包中的压缩包" in item.reason


def test_unreadable_file_fails_with_its_reason(upload):
    result = upload({"notes.txt": "这只是一段随手记下的文字，不是年度报告。".encode()})
    report_file = ReportFile.objects.get(pk=result.received[0].pk)
    assert report_file.status == FileStatus.FAILED
    assert "不是政府信息公开工作年度报告" in report_file.error
    assert Event.objects.filter(action="supervision.file_fail").count() == 1


def test_only_a_supervisor_of_the_region_may_upload(outsider, other_city, supervisor, city):
    with pytest.raises(SupervisionError):
        services.receive_uploads(actor=outsider, region=city, uploads=[("a.txt", b"x")])
    with pytest.raises(SupervisionError):
        services.receive_uploads(actor=supervisor, region=other_city, uploads=[("a.txt", b"x")])


def test_doubtful_report_waits_and_assignment_files_it(upload, county_agency, report_bytes):
    result = upload({"a.html": report_bytes("某省示范县信访局", flaw="s1")})
    report_file = ReportFile.objects.get(pk=result.received[0].pk)
    assert report_file.match_state == MatchState.DOUBTFUL
    assert report_file.agency is None
    assert report_file.suggested_agency == county_agency
    assert not report_file.version.is_current
    services.assign_file(
        report_file, actor=result.batch.created_by, agency=county_agency, year=2023
    )
    report_file.refresh_from_db()
    assert (report_file.agency, report_file.match_state) == (county_agency, MatchState.ASSIGNED)
    version = report_file.version
    assert version.is_current
    assert version.agency == county_agency
    assert set(version.findings.values_list("agency", flat=True)) == {county_agency.pk}


def test_assignment_outside_the_region_is_refused(upload, far_agency, report_bytes, supervisor):
    result = upload({"a.html": report_bytes("无名局")})
    with pytest.raises(SupervisionError):
        services.assign_file(result.received[0], actor=supervisor, agency=far_agency, year=2023)


def test_a_later_version_becomes_current(upload, petition_bureau, report_bytes):
    first = upload({"a.html": report_bytes(flaw="s1")}).received[0]
    second = upload({"b.html": report_bytes(seed=1)}).received[0]
    first.refresh_from_db()
    assert not first.version.is_current
    assert second.version.is_current
