"""Application factories: every case is made through the services, like a clerk would."""

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
def extend(handler: Any, signer: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """extend(app, days, reason, on): request the extension on ``on`` and have the signer
    approve it the same day through the sign-off engine (the approval day is passed to the
    verb, as the receiver would pass the day of the approval)."""
    from gongkai.signoff import selectors  # noqa: PLC0415
    from gongkai.signoff import services as signoff  # noqa: PLC0415

    def run(app: Any, days: int, reason: str, on: date | None = None) -> Any:
        on = on or app.received_on
        with django_capture_on_commit_callbacks(execute=True):
            request = services.request_extension(
                app, actor=handler, days=days, reason=reason, on=on
            )
            chain = selectors.chains_for(request).get()
            step = chain.steps.get(status="active")
            signoff.approve_step(step, actor=signer, revision_hash=chain.revision_hash)
            services.apply_extension(request, approved_by=signer, approved_on=on)
        app.refresh_from_db()
        return app

    return run
