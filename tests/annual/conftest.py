"""Fixtures for annual-report tests: applications answered through the real verbs (copied from
tests/applications/conftest.py, which pytest does not share across sibling directories)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gongkai.applications import services

# A valid resident ID (checksum X) and credit code used across the tests; all fictional.
RESIDENT_ID = "11010519491231002X"
COMPANY_CODE = "91350100M000100Y43"


@pytest.fixture
def make_application(bundled_calendar: Any, handler: Any, petition_bureau: Any) -> Any:
    def make(**overrides: Any) -> Any:
        fields: dict[str, Any] = {
            "actor": handler,
            "agency": petition_bureau,
            "channel": "post",
            "event_on": date(2026, 3, 2),
            "applicant_class": "natural_person",
            "applicant_name": "张三",
            "id_type": "resident_id",
            "id_number": RESIDENT_ID,
            "contact_phone": "13812345678",
            "contact_email": "zhangsan@example.com",
            "request_text": "请公开2025年本局信访事项办理情况统计。",
        }
        fields.update(overrides)
        return services.register_application(**fields)

    return make


@pytest.fixture
def letter_template(db: Any) -> Any:
    from gongkai.signoff.models import ChainTemplate, StepTemplate  # noqa: PLC0415

    template = ChainTemplate.objects.create(purpose="notice_letter", name="告知书签发")
    StepTemplate.objects.create(template=template, order=1, name="领导签发", role="signer")
    return template


@pytest.fixture
def sign(letter_template: Any, handler: Any, signer: Any, django_capture_on_commit_callbacks: Any):
    """sign(letter): submit the letter for review and have the signer approve it."""
    from gongkai.signoff import services as signoff  # noqa: PLC0415

    def run(letter: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            chain = signoff.submit_for_review(
                letter, actor=handler, revision_hash=letter.signoff_revision()
            )
            step = chain.steps.get(status="active")
            signoff.approve_step(step, actor=signer, revision_hash=chain.revision_hash)
        letter.refresh_from_db()
        return letter

    return run


@pytest.fixture
def answer(sign: Any, handler: Any) -> Any:
    """answer(app, outcome, on): decide, sign the answer letter and deliver it by e-mail."""

    def run(app: Any, outcome: str, on: date, note: str = "依法答复") -> Any:
        app = services.decide(app, actor=handler, outcome=outcome, decided_on=on, note=note)
        sign(app.letters.get(kind="answer"))
        return services.record_answer(app, actor=handler, delivery="email", on=on)

    return run


@pytest.fixture
def report_template(db: Any) -> Any:
    from gongkai.signoff.models import ChainTemplate, StepTemplate  # noqa: PLC0415

    template = ChainTemplate.objects.create(purpose="annual_report", name="年报签发")
    StepTemplate.objects.create(template=template, order=1, name="公开办审核", role="reviewer")
    StepTemplate.objects.create(template=template, order=2, name="分管领导签发", role="signer")
    return template


@pytest.fixture
def year_of_cases(make_application, answer):
    old = make_application(event_on=date(2025, 12, 22))  # carried over, answered in 2026
    answer(old, "granted", date(2026, 1, 8))
    company = make_application(
        applicant_class="commercial",
        applicant_name="某某有限公司",
        id_type="credit_code",
        id_number="91350100M000100Y43",
    )
    answer(company, "partially_granted", date(2026, 3, 20))
    denied = make_application(event_on=date(2026, 4, 1))
    answer(denied, "denied_internal_affairs", date(2026, 4, 20))
    make_application(event_on=date(2026, 12, 28))  # carried forward into 2027


@pytest.fixture
def item_template(db: Any) -> Any:
    from gongkai.signoff.models import ChainTemplate, StepTemplate  # noqa: PLC0415

    template = ChainTemplate.objects.create(purpose="disclosure_item", name="年报发布审核")
    StepTemplate.objects.create(template=template, order=1, name="领导签发", role="signer")
    return template
