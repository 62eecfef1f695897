"""Sign-off fixtures: the three-step default chain and a document in review (via services).

Imports of Django code stay inside the functions: pytest loads this file before Django is set up
when the directory is given on the command line.
"""
# ruff: noqa: PLC0415

from __future__ import annotations

import pytest

DEFAULT_STEPS = [
    (1, "科室审核", "reviewer"),
    (2, "保密审查", "confidentiality"),
    (3, "领导签发", "signer"),
]


def make_template(agency=None, purpose="document", name="默认三级审核", steps=DEFAULT_STEPS):
    from gongkai.signoff.models import ChainTemplate, StepTemplate

    template = ChainTemplate.objects.create(agency=agency, purpose=purpose, name=name)
    for order, step_name, role in steps:
        StepTemplate.objects.create(
            template=template, order=order, name=step_name, role=role, forbid_self_approval=True
        )
    return template


@pytest.fixture
def template(db):
    return make_template()


@pytest.fixture
def document(drafter, petition_bureau):
    from gongkai.signoff import services

    return services.create_document(
        actor=drafter, agency=petition_bureau, title="关于调整接访日程的公告", body="正文第一稿"
    )


@pytest.fixture
def chain(document, drafter, template):
    from gongkai.signoff import services

    return services.submit_for_review(
        document, actor=drafter, revision_hash=document.signoff_revision(), template=template
    )


def active_step(chain):
    chain.refresh_from_db()
    return chain.steps.get(round=chain.round, status="active")


def approve_all(chain, reviewer, confidentiality_officer, signer):
    from gongkai.signoff import services

    for actor in (reviewer, confidentiality_officer, signer):
        services.approve_step(active_step(chain), actor=actor, revision_hash=chain.revision_hash)
    chain.refresh_from_db()
    return chain
