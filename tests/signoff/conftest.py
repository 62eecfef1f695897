"""Sign-off fixtures: the three-step default chain and a disclosure item in review.

The engine's sample reviewable is the 主动公开 Item (the product's main reviewable). The engine
is driven directly (``submit_for_review`` etc.), so the item itself stays a draft; its status
follows the chain only through the on-commit receivers, which these tests do not run.

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


def make_template(agency=None, purpose="disclosure_item", name="默认三级审核", steps=DEFAULT_STEPS):
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


def policy_column(agency):
    """The 政策解读 column every agency gets by default."""
    from gongkai.disclosure.models import Column

    return Column.objects.get(agency=agency, name="政策解读")


def new_item(actor, agency, title="关于调整接访日程的公告", body="正文第一稿"):
    from gongkai.disclosure import services as items

    return items.create_item(actor=actor, column=policy_column(agency), title=title, body=body)


@pytest.fixture
def item(drafter, petition_bureau, office_section):
    # Editors named for the office section edit the column's items (Item.signoff_editor_ids).
    column = policy_column(petition_bureau)
    column.owner_section = office_section
    column.save(update_fields=["owner_section"])
    return new_item(drafter, petition_bureau)


@pytest.fixture
def chain(item, drafter, template):
    from gongkai.signoff import services

    return services.submit_for_review(
        item, actor=drafter, revision_hash=item.signoff_revision(), template=template
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
