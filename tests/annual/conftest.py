"""Fixtures for annual-report tests: applications answered through the real verbs (shared with
tests/applications/conftest.py, which pytest does not share across sibling directories)."""
# ruff: noqa: F811

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

# the applications answered through the real verbs, as in the applications tests; fixtures
# re-exported by name are what pytest sees, hence F401/F811 below
from tests.applications.conftest import (  # noqa: F401
    answer,
    letter_template,
    make_application,
    sign,
)


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
