"""A year of activity → the generated tables equal a hand count, pass every rule and survive
render → ``gongkai audit`` → the same numbers, for DOCX, PDF and HTML.

Table 四 comes from the appeals register: one case of every outcome in every block, and the
纠正 reopens its application (a new case received on the decision date, still open at the end
of the year: one more new and one more carried forward in table 三).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from gongkai.annual import render, services
from gongkai.appeals import services as appeals
from gongkai.applications import services as cases
from gongkai.disclosure import register
from gongkai.disclosure import services as disclosure
from gongkai.disclosure.models import Column, ItemKind
from gongkai.reportdoc.checks import audit
from gongkai.reportdoc.reader import extract_bytes, parse_checked
from gongkai.signoff import services as signoff

pytestmark = pytest.mark.django_db
COMPANY = {
    "applicant_class": "commercial",
    "applicant_name": "某某有限公司",
    "id_type": "credit_code",
    "id_number": "91350100M000100Y43",
}


@pytest.fixture
def publish_doc(
    petition_bureau, drafter, signer, item_template, django_capture_on_commit_callbacks
):
    def make(kind, name, written, **values):
        column = Column.objects.get(agency=petition_bureau, name=name)
        item = disclosure.create_item(
            actor=drafter,
            column=column,
            title=f"文件{written}",
            kind=kind,
            written_date=written,
            body="<p>正文</p>",
            **values,
        )
        with django_capture_on_commit_callbacks(execute=True):
            chain = disclosure.submit_item(
                item, actor=drafter, revision_hash=item.signoff_revision()
            )
            step = chain.steps.get(status="active")
            signoff.approve_step(step, actor=signer, revision_hash=chain.revision_hash)
        item.refresh_from_db()
        return disclosure.publish_item(item, actor=drafter)

    return make


@pytest.fixture
def year(petition_bureau, drafter, handler, make_application, answer, publish_doc):
    publish_doc(ItemKind.RULE, "政策文件", date(2026, 2, 1))
    publish_doc(ItemKind.NORMATIVE, "行政规范性文件", date(2026, 3, 1))
    publish_doc(
        ItemKind.NORMATIVE,
        "行政规范性文件",
        date(2025, 3, 1),
        validity="repealed",
        validity_changed_on=date(2026, 6, 1),
    )
    register.set_register_year(
        petition_bureau,
        actor=drafter,
        year=2026,
        licensing_decisions=12,
        penalty_decisions=5,
        coercion_decisions=0,
        fees_wan_yuan=Decimal("1.2345"),
    )
    old = make_application(event_on=date(2025, 12, 22))  # carried over
    answer(old, "granted", date(2026, 1, 8))
    partial = make_application(**COMPANY)
    answer(partial, "partially_granted", date(2026, 3, 20))
    denied = make_application(event_on=date(2026, 4, 1))
    answer(denied, "denied_internal_affairs", date(2026, 4, 20))
    _appeals(handler, old, partial, denied)
    answer(make_application(event_on=date(2026, 5, 6)), "unable_not_held", date(2026, 5, 20))
    answer(
        make_application(event_on=date(2026, 6, 1), **COMPANY),
        "not_processed_repeated",
        date(2026, 6, 10),
    )
    unclear = make_application(event_on=date(2026, 7, 1))
    unclear = cases.request_correction(
        unclear, actor=handler, sent_on=date(2026, 7, 3), reply_by=date(2026, 7, 17), note="请明确"
    )
    cases.close_no_correction(unclear, actor=handler, on=date(2026, 7, 20))
    unpaid = make_application(event_on=date(2026, 8, 3))
    unpaid = cases.send_fee_notice(unpaid, actor=handler, received_on=date(2026, 8, 10), items=15)
    cases.lapse_fee(unpaid, actor=handler, on=date(2026, 9, 10))
    make_application(event_on=date(2026, 12, 28))  # carried forward


def _appeals(handler, old, partial, denied):
    def case(application, kind, filed, outcome=None, decided=None, prior=None):
        appeal = appeals.register_appeal(
            actor=handler,
            application=application,
            kind=kind,
            appellant=application.applicant_name,
            body="示范市人民政府" if kind == "reconsideration" else "示范市人民法院",
            filed_on=filed,
            prior=prior,
        )
        if outcome:
            appeal = appeals.record_decision(
                appeal, actor=handler, outcome=outcome, decided_on=decided
            )
        return appeal

    upheld = case(old, "reconsideration", date(2026, 2, 2), "upheld", date(2026, 4, 1))
    case(partial, "reconsideration", date(2026, 4, 1), "corrected", date(2026, 6, 1))
    case(denied, "litigation_direct", date(2026, 5, 6), "other", date(2026, 9, 1))
    case(denied, "litigation_direct", date(2026, 10, 9))  # pending at the year's end
    case(old, "litigation_after_reconsideration", date(2026, 4, 20), prior=upheld)


EXPECTED_TABLE4 = {
    "reconsideration": {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2},
    "litigation_direct": {"upheld": 0, "corrected": 0, "other": 1, "pending": 1, "total": 2},
    "litigation_after_reconsideration": {
        "upheld": 0,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 1,
    },
}

EXPECTED_TOTALS = {
    "new_received": 8,  # seven applications and the re-handling the 纠正 reopened
    "carried_over": 1,
    "granted": 1,
    "partially_granted": 1,
    "denied_internal_affairs": 1,
    "unable_not_held": 1,
    "not_processed_repeated": 1,
    "other_no_correction": 1,
    "other_unpaid_fee": 1,
    "total_processed": 7,
    "carried_forward": 2,
}


def test_a_year_of_activity(year, petition_bureau, drafter):
    report = services.generate_draft(
        actor=drafter, agency=petition_bureau, year=2026, now=datetime(2027, 1, 6, tzinfo=UTC)
    )
    t2, t3 = report.tables["table2"], report.tables["table3"]
    assert t2["regulations"] == {"issued": 1, "repealed": 0, "in_force": 1}
    assert t2["normative_documents"] == {"issued": 1, "repealed": 1, "in_force": 1}
    assert t2["licensing"] == {"decisions": 12}
    assert t2["penalty"] == {"decisions": 5}
    assert t2["coercion"] == {"decisions": 0}
    assert t2["fees"] == {"amount_wan_yuan": 1.2345}
    for row, total in EXPECTED_TOTALS.items():
        assert t3[row]["total"] == total, row
    assert t3["new_received"]["commercial"] == 3  # the reopened case is the company's
    assert report.tables["table4"] == EXPECTED_TABLE4
    assert sum(t3[r]["total"] for r in t3) == sum(EXPECTED_TOTALS.values())
    assert "发出收费通知1份" in report.sections["other"]
    assert report.error_findings == []
    for fmt in ("html", "docx", "pdf"):
        read = parse_checked(extract_bytes(render.render(report, fmt), f"r.{fmt}"))
        assert read.table3 == t3, fmt
        assert read.table4 == EXPECTED_TABLE4, fmt
        assert read.table2["fees"]["amount_wan_yuan"] == Decimal("1.2345"), fmt
        assert read.table2["normative_documents"] == t2["normative_documents"], fmt
        audited = audit(read)
        assert [f for f in audited.findings if f.severity == "error"] == [], fmt
        rules = {f.rule for f in audited.findings}
        assert not rules & {"S1", "T1", "T2", "N1", "X1"}, (fmt, rules)


def test_y1_against_an_imported_report_of_last_year(year, petition_bureau, drafter):
    # last year predates the platform: its published report is imported through the parser
    last = services.generate_draft(
        actor=drafter, agency=petition_bureau, year=2025, now=datetime(2026, 1, 6, tzinfo=UTC)
    )
    html = render.render(last, "html").decode()
    last.delete()
    tampered = html.replace(
        'data-cell="table3.carried_forward.natural_person">1<',
        'data-cell="table3.carried_forward.natural_person">4<',
    ).replace(
        'data-cell="table3.carried_forward.total">1<', 'data-cell="table3.carried_forward.total">4<'
    )
    assert tampered != html
    services.import_previous(
        actor=drafter, agency=petition_bureau, year=2025, name="2025.html", data=tampered.encode()
    )
    report = services.generate_draft(actor=drafter, agency=petition_bureau, year=2026)
    y1 = [f for f in report.findings if f["rule"] == "Y1"]
    assert y1
    assert any("table3.carried_over.natural_person" in f["cells"] for f in y1)
