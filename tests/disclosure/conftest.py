"""Disclosure fixtures: the 三级审核 template for items and helpers that drive an item through
the real services (sign-off signals are delivered by running the on-commit callbacks)."""
# ruff: noqa: PLC0415

from __future__ import annotations

import pytest

STEPS = [(1, "科室审核", "reviewer"), (2, "保密审查", "confidentiality"), (3, "领导签发", "signer")]


@pytest.fixture
def item_template(db):
    from gongkai.signoff.models import ChainTemplate, StepTemplate

    template = ChainTemplate.objects.create(purpose="disclosure_item", name="三级审核")
    for order, name, role in STEPS:
        StepTemplate.objects.create(template=template, order=order, name=name, role=role)
    return template


@pytest.fixture
def column(petition_bureau):
    from gongkai.disclosure.models import Column

    return Column.objects.get(agency=petition_bureau, name="政策解读")


@pytest.fixture
def news_column(petition_bureau):
    from gongkai.disclosure.models import Column

    return Column.objects.get(agency=petition_bureau, name="工作动态")


@pytest.fixture
def make_item(drafter, column, item_template):
    from gongkai.disclosure import services

    def make(title="关于《示范市信访工作规定》的解读", body="<p>一、起草背景</p>", **values):
        values.setdefault("column", column)
        return services.create_item(actor=drafter, title=title, body=body, **values)

    return make


@pytest.fixture
def review_all(reviewer, confidentiality_officer, signer, django_capture_on_commit_callbacks):
    """Submit (if a draft) and approve every step with the three reviewer personas."""
    from gongkai.disclosure import services
    from gongkai.signoff import services as signoff
    from gongkai.signoff.selectors import chains_for

    def run(item, actor=None):
        item.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            if item.status == "draft":
                services.submit_item(
                    item, actor=actor or item.created_by, revision_hash=item.signoff_revision()
                )
            chain = chains_for(item).first()
            for person in (reviewer, confidentiality_officer, signer):
                step = chain.steps.get(status="active", round=chain.round)
                signoff.approve_step(step, actor=person, revision_hash=chain.revision_hash)
        item.refresh_from_db()
        return item

    return run
