"""Workspace fixtures: a document in review at the first step, built through the services.

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

    template = ChainTemplate.objects.create(purpose="document", name="默认三级审核")
    for order, name, role in STEPS:
        StepTemplate.objects.create(template=template, order=order, name=name, role=role)
    return template


@pytest.fixture
def make_document(drafter, petition_bureau, template):
    from gongkai.signoff import services

    def make(title="关于调整接访日程的公告", body="正文", submit=True):
        document = services.create_document(
            actor=drafter, agency=petition_bureau, title=title, body=body
        )
        if submit:
            services.submit_for_review(
                document, actor=drafter, revision_hash=document.signoff_revision()
            )
        return document

    return make


@pytest.fixture
def document(make_document):
    return make_document()


@pytest.fixture
def chain(document):
    from gongkai.signoff.selectors import chains_for

    return chains_for(document).get()


@pytest.fixture
def step(chain):
    return chain.steps.get(status="active")
