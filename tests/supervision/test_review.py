"""Reviewing findings, correcting misread cells, year-on-year checks, rectification notices."""

from __future__ import annotations

import pytest
from django.core import mail

from gongkai.eventlog.models import Event
from gongkai.supervision import services
from gongkai.supervision.auditing import corrected_report
from gongkai.supervision.errors import SupervisionError
from gongkai.supervision.models import FindingState, NoticeState, ReportVersion
from gongkai.supervision.samples import build_report, carried_forward

pytestmark = pytest.mark.django_db


def _finding(version, rule):
    return version.findings.get(rule=rule, active=True)


def test_confirm_dismiss_and_mark_for_correction_are_events(audited, supervisor):
    version = audited()
    s1, t2 = _finding(version, "S1"), _finding(version, "T2")
    services.review_finding(s1, actor=supervisor, to=FindingState.CONFIRMED)
    services.review_finding(
        t2, actor=supervisor, to=FindingState.DISMISSED, reason="原件如此，已电话核实"
    )
    s1.refresh_from_db()
    t2.refresh_from_db()
    assert s1.state == FindingState.CONFIRMED
    assert s1.reviewed_by == supervisor
    assert (t2.state, t2.reason) == (FindingState.DISMISSED, "原件如此，已电话核实")
    services.review_finding(s1, actor=supervisor, to=FindingState.FOR_CORRECTION)
    actions = list(
        Event.objects.filter(action__startswith="supervision.finding").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "supervision.finding_confirm",
        "supervision.finding_dismiss",
        "supervision.finding_for_correction",
    ]


def test_dismissal_needs_a_reason_and_control_characters_are_refused(audited, supervisor):
    finding = _finding(audited(), "S1")
    with pytest.raises(SupervisionError, match="理由"):
        services.review_finding(finding, actor=supervisor, to=FindingState.DISMISSED, reason=" ")
    with pytest.raises(SupervisionError, match="控制字符"):
        services.review_finding(
            finding, actor=supervisor, to=FindingState.DISMISSED, reason="a\x00b"
        )
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN


def test_illegal_transition_is_refused(audited, supervisor):
    finding = _finding(audited(), "S1")
    services.review_finding(finding, actor=supervisor, to=FindingState.DISMISSED, reason="不是问题")
    with pytest.raises(SupervisionError, match="不能改为"):
        services.review_finding(finding, actor=supervisor, to=FindingState.CONFIRMED)


def test_agency_staff_and_other_supervisors_may_not_review(audited, agency_admin, make_member):
    finding = _finding(audited(), "S1")
    with pytest.raises(SupervisionError):
        services.review_finding(finding, actor=agency_admin, to=FindingState.CONFIRMED)


def test_correction_is_kept_beside_the_parsed_value_and_rules_rerun(audited, supervisor):
    version = audited()
    cell = "table3.new_received.natural_person"
    parsed = version.report_json["table3"]["new_received"]["natural_person"]
    s1 = _finding(version, "S1")
    services.correct_cell(
        version, actor=supervisor, cell=cell, value=str(parsed - 1), reason="原件为扫描件，人工核对"
    )
    version.refresh_from_db()
    # the parsed value is untouched; the correction stands beside it
    assert version.report_json["table3"]["new_received"]["natural_person"] == parsed
    correction = version.corrections.get()
    assert (correction.parsed_value, correction.value) == (parsed, parsed - 1)
    assert corrected_report(version).cell(cell) == parsed - 1
    # S1 and T2 hold on the corrected table: their findings are no longer active
    s1.refresh_from_db()
    assert not s1.active
    assert not version.findings.filter(active=True, rule__in=["S1", "T2"]).exists()
    assert version.errors == 0
    assert Event.objects.filter(action="supervision.cell_correct").count() == 1


def test_correction_input_is_validated(audited, supervisor):
    version = audited()
    for cell, value, reason in [
        ("table3.nope.total", "1", "理由"),
        ("table3.granted.total", "-1", "理由"),
        ("table3.granted.total", "abc", "理由"),
        ("table3.granted.total", "1", ""),
    ]:
        with pytest.raises(SupervisionError):
            services.correct_cell(version, actor=supervisor, cell=cell, value=value, reason=reason)
    assert not version.corrections.exists()


def test_consecutive_years_pair_for_y1_and_c1(upload, petition_bureau, report_bytes):

    last = build_report("示范市信访局", 2022, seed=1)
    # 2023: 上年结转 disagrees with 2022's 结转下年度, and section 五 is last year's text
    wrong_carry = carried_forward(last) + 3
    upload({"2022.html": report_bytes(year=2022, seed=1)})
    upload({"2023.html": report_bytes(year=2023, seed=2, carried_over=wrong_carry)})
    current = ReportVersion.objects.get(year=2023, is_current=True)
    assert current.previous.year == 2022
    rules = set(current.findings.filter(active=True).values_list("rule", flat=True))
    assert {"Y1", "C1"} <= rules
    (c1,) = [f for f in current.findings.filter(rule="C1") if f.cells == ["sections.problems"]]
    assert c1.message.startswith("与上年报告文字相同")
    assert c1.severity == "warning"


def test_last_year_arriving_later_reruns_this_year(upload, petition_bureau, report_bytes):
    upload(
        {"2023.html": report_bytes(year=2023, seed=2, problems="今年全部重新撰写的问题与改进。")}
    )
    current = ReportVersion.objects.get(year=2023)
    assert current.previous is None
    upload({"2022.html": report_bytes(year=2022, seed=1)})
    current.refresh_from_db()
    assert current.previous is not None
    assert current.previous.year == 2022
    c1_cells = [f.cells for f in current.findings.filter(rule="C1")]
    assert c1_cells  # the sample's sections 一 and 六 repeat, word for word but for figures
    assert ["sections.problems"] not in c1_cells  # section 五 was rewritten


def test_late_publication_by_level(upload, petition_bureau, report_bytes):
    upload({"a.html": report_bytes(published="2024-02-05")})
    version = ReportVersion.objects.get()
    assert version.deadline.isoformat() == "2024-01-31"
    assert version.late
    assert version.findings.filter(rule="P1").exists()


def test_notice_to_the_agency_and_its_answer_with_a_corrected_report(
    audited, supervisor, agency_admin, report_bytes, django_capture_on_commit_callbacks
):
    agency_admin.email = "admin@example.gov.cn"
    agency_admin.save()
    version = audited()
    s1 = _finding(version, "S1")
    services.review_finding(s1, actor=supervisor, to=FindingState.CONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.send_notice(version, actor=supervisor, requirement="请于十五日内整改")
    assert list(notice.findings.all()) == [s1]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["admin@example.gov.cn"]
    # a second notice would list nothing new
    with pytest.raises(SupervisionError):
        services.send_notice(version, actor=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_notice(
            notice,
            actor=agency_admin,
            answer="已更正表三并重新发布",
            upload=("更正版.html", report_bytes(seed=4)),
        )
    notice.refresh_from_db()
    assert notice.state == NoticeState.ANSWERED
    corrected = notice.corrected_files.get()
    assert corrected.status == "audited"
    assert corrected.version.is_current
    assert corrected.version.errors == 0
    services.close_notice(notice, actor=supervisor)
    notice.refresh_from_db()
    assert notice.state == NoticeState.CLOSED


def test_only_the_agency_answers_its_notice(audited, supervisor, outsider):
    version = audited()
    services.review_finding(_finding(version, "S1"), actor=supervisor, to=FindingState.CONFIRMED)
    notice = services.send_notice(version, actor=supervisor)
    for actor in (outsider, supervisor):
        with pytest.raises(SupervisionError):
            services.answer_notice(notice, actor=actor, answer="已整改")
