"""Workspace fixtures: a disclosure item in review at the first step, built through the services.

Imports of Django code stay inside the functions: pytest loads this file before Django is set up
when the directory is given on the command line.
"""
# ruff: noqa: PLC0415

from __future__ import annotations

import pytest

STEPS = [(1, "科室审核", "reviewer"), (2, "保密审查", "confidentiality"), (3, "领导签发", "signer")]


@pytest.fixture
def template(db):
    from gongkai.signoff.models import ChainTemplate, StepTemplate

    template = ChainTemplate.objects.create(purpose="disclosure_item", name="默认三级审核")
    for order, name, role in STEPS:
        StepTemplate.objects.create(template=template, order=order, name=name, role=role)
    return template


@pytest.fixture
def make_item(drafter, petition_bureau, template):
    """make_item(title=..., body=..., submit=True) -> an item of the 政策解读 column."""
    from gongkai.disclosure import services
    from gongkai.disclosure.models import Column

    column = Column.objects.get(agency=petition_bureau, name="政策解读")

    def make(title="关于调整接访日程的公告", body="正文", submit=True):
        item = services.create_item(actor=drafter, column=column, title=title, body=body)
        if submit:
            services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
            item.refresh_from_db()
        return item

    return make


@pytest.fixture
def item(make_item):
    return make_item()


@pytest.fixture
def chain(item):
    from gongkai.signoff.selectors import chains_for

    return chains_for(item).get()


@pytest.fixture
def step(chain):
    return chain.steps.get(status="active")


# --- a 告知书 in review: the generic 「待我审核」 inbox section lists every reviewable except
# 主动公开 items (those have their own section, opened on the item's page) ----------------------


@pytest.fixture
def letter_template(db):
    from gongkai.signoff.models import ChainTemplate, StepTemplate

    template = ChainTemplate.objects.create(purpose="notice_letter", name="告知书三级审核")
    for order, name, role in STEPS:
        StepTemplate.objects.create(template=template, order=order, name=name, role=role)
    return template


@pytest.fixture
def make_letter(handler, petition_bureau, letter_template, bundled_calendar):
    """make_letter(request_text=...) -> an answer letter submitted for review by the handler."""
    from django.utils import timezone

    from gongkai.applications.services import decide, register_application
    from gongkai.signoff import services

    def make(request_text="请公开本局2025年信访统计"):
        today = timezone.localdate()
        application = register_application(
            actor=handler,
            agency=petition_bureau,
            channel="in_person",
            event_on=today,
            applicant_class="natural_person",
            applicant_name="张三",
            contact_phone="13812345678",
            request_text=request_text,
        )
        letter = decide(
            application, actor=handler, outcome="granted", decided_on=today, note=""
        ).letters.get()
        services.submit_for_review(
            letter,
            actor=handler,
            revision_hash=letter.signoff_revision(),
            template=letter_template,
        )
        return letter

    return make


@pytest.fixture
def letter_chain(make_letter):
    from gongkai.signoff.selectors import chains_for

    return chains_for(make_letter()).get()


@pytest.fixture
def letter_step(letter_chain):
    return letter_chain.steps.get(status="active")
