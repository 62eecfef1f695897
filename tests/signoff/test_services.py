"""Every verb of the sign-off engine, every transition and every refusal."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.agencies.models import Membership, User
from gongkai.agencies.services import grant_role
from gongkai.disclosure import services as items
from gongkai.disclosure.models import Item
from gongkai.eventlog.services import events_for
from gongkai.signoff import services, signals
from gongkai.signoff.errors import (
    AlreadyInReviewError,
    ChainClosedError,
    CommentRequiredError,
    DocumentLockedError,
    EmptyTemplateError,
    IllegalTransitionError,
    InvalidDelegationError,
    NoTemplateError,
    NotPermittedError,
    SelfApprovalForbiddenError,
    SignoffError,
    StaleRevisionError,
    StepNotActiveError,
    TemplateNotApplicableError,
)
from gongkai.signoff.models import Chain, ChainTemplate, Purpose, StepDecision, content_hash

from .conftest import active_step, approve_all, make_template, new_item

pytestmark = pytest.mark.django_db


def statuses(chain):
    chain.refresh_from_db()
    return [s.status for s in chain.steps.filter(round=chain.round).order_by("order")]


def action_codes(chain):
    return list(events_for(chain).order_by("seq").values_list("action", flat=True))


# --- submit --------------------------------------------------------------------------------


def test_submit_starts_round_one_with_first_step_active(chain, drafter, item):
    assert chain.status == "in_review"
    assert chain.round == 1
    assert chain.submitted_by == drafter
    assert chain.revision_hash == item.signoff_revision()
    assert chain.agency == item.agency
    assert chain.content_object == item
    assert [s["name"] for s in chain.template_snapshot] == ["科室审核", "保密审查", "领导签发"]
    assert statuses(chain) == ["active", "pending", "pending"]
    assert action_codes(chain) == ["signoff.submitted"]


def test_submit_uses_agency_template_before_default(item, drafter, petition_bureau, template):
    own = make_template(
        agency=petition_bureau, name="信访局两级审核", steps=[(1, "审核", "reviewer")]
    )
    chain = services.submit_for_review(item, actor=drafter, revision_hash=item.signoff_revision())
    assert chain.template == own
    assert statuses(chain) == ["active"]


def test_submit_falls_back_to_default_template(item, drafter, template):
    chain = services.submit_for_review(item, actor=drafter, revision_hash=item.signoff_revision())
    assert chain.template == template


def test_template_snapshot_survives_template_edits(chain, template):
    template.steps.filter(order=2).delete()
    chain.refresh_from_db()
    assert len(chain.template_snapshot) == 3


def test_submit_refuses_second_open_chain(chain, item, drafter, template):
    with pytest.raises(AlreadyInReviewError):
        services.submit_for_review(
            item, actor=drafter, revision_hash=item.signoff_revision(), template=template
        )


def test_submit_refuses_while_returned(chain, item, drafter, reviewer, template):
    services.return_for_revision(active_step(chain), actor=reviewer, comment="请补充依据")
    with pytest.raises(AlreadyInReviewError):
        services.submit_for_review(
            item, actor=drafter, revision_hash=item.signoff_revision(), template=template
        )


def test_submit_refuses_stale_hash(item, drafter, template):
    with pytest.raises(StaleRevisionError):
        services.submit_for_review(item, actor=drafter, revision_hash="0" * 64, template=template)
    assert not Chain.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "supervisor"])
def test_submit_refuses_non_members(request, item, template, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotPermittedError):
        services.submit_for_review(
            item, actor=actor, revision_hash=item.signoff_revision(), template=template
        )


def test_submit_refuses_other_agencys_template(item, drafter, other_agency):
    foreign = make_template(agency=other_agency, name="外机关模板")
    with pytest.raises(TemplateNotApplicableError):
        services.submit_for_review(
            item, actor=drafter, revision_hash=item.signoff_revision(), template=foreign
        )


def test_submit_refuses_template_for_other_purpose(item, drafter):
    letters = make_template(purpose=Purpose.NOTICE_LETTER, name="告知书审核")
    with pytest.raises(TemplateNotApplicableError):
        services.submit_for_review(
            item, actor=drafter, revision_hash=item.signoff_revision(), template=letters
        )


def test_submit_refuses_empty_template(item, drafter):
    empty = ChainTemplate.objects.create(purpose=Purpose.DISCLOSURE_ITEM, name="空模板")
    with pytest.raises(EmptyTemplateError):
        services.submit_for_review(
            item, actor=drafter, revision_hash=item.signoff_revision(), template=empty
        )


def test_submit_without_any_template(item, drafter):
    with pytest.raises(NoTemplateError):
        services.submit_for_review(item, actor=drafter, revision_hash=item.signoff_revision())


# --- approve -------------------------------------------------------------------------------


def test_full_approval_closes_chain_and_signals_once_on_commit(
    chain, reviewer, confidentiality_officer, signer, django_capture_on_commit_callbacks
):
    received = []

    def on_approved(sender, chain, **kwargs):
        received.append(chain.pk)

    signals.chain_approved.connect(on_approved)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.approve_step(
                active_step(chain), actor=reviewer, revision_hash=chain.revision_hash
            )
        assert statuses(chain) == ["approved", "active", "pending"]
        assert received == []
        with django_capture_on_commit_callbacks(execute=True):
            services.approve_step(
                active_step(chain), actor=confidentiality_officer, revision_hash=chain.revision_hash
            )
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.approve_step(
                active_step(chain), actor=signer, revision_hash=chain.revision_hash, comment="同意"
            )
        assert callbacks
    finally:
        assert signals.chain_approved.disconnect(on_approved)
    chain.refresh_from_db()
    assert chain.status == "approved"
    assert chain.closed_at is not None
    assert statuses(chain) == ["approved", "approved", "approved"]
    assert received == [chain.pk]
    last = chain.steps.get(order=3)
    assert (last.decided_by, last.decision, last.comment) == (signer, "approve", "同意")
    assert last.revision_hash == chain.revision_hash
    assert StepDecision.objects.filter(step__chain=chain).count() == 3
    assert action_codes(chain)[-2:] == ["signoff.step_approved", "signoff.chain_approved"]


def test_approval_is_not_signalled_when_transaction_rolls_back(
    chain, reviewer, confidentiality_officer, signer, django_capture_on_commit_callbacks
):
    received = []

    def on_approved(sender, chain, **kwargs):
        received.append(chain.pk)

    signals.chain_approved.connect(on_approved)
    try:
        services.approve_step(active_step(chain), actor=reviewer, revision_hash=chain.revision_hash)
        services.approve_step(
            active_step(chain), actor=confidentiality_officer, revision_hash=chain.revision_hash
        )
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.approve_step(
                active_step(chain), actor=signer, revision_hash=chain.revision_hash
            )
        # Captured but not executed: the signal only fires when the commit really happens.
        assert len(callbacks) == 1
        assert received == []
    finally:
        assert signals.chain_approved.disconnect(on_approved)


@pytest.mark.parametrize("persona", ["drafter", "signer", "handler", "outsider", "supervisor"])
def test_approve_refuses_users_without_the_steps_role(request, chain, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotPermittedError):
        services.approve_step(active_step(chain), actor=actor, revision_hash=chain.revision_hash)
    assert statuses(chain) == ["active", "pending", "pending"]


def test_approve_refuses_reviewer_of_another_agency(chain, other_agency):
    foreign = User.objects.create_user(username="foreign-reviewer", password="x")
    Membership.objects.create(user=foreign, agency=other_agency, role="reviewer")
    with pytest.raises(NotPermittedError):
        services.approve_step(active_step(chain), actor=foreign, revision_hash=chain.revision_hash)


def test_self_approval_refused_when_step_forbids_it(reviewer, petition_bureau, template):
    grant_role(user=reviewer, agency=petition_bureau, role="drafter")
    item = new_item(reviewer, petition_bureau, title="科长自己起草", body="正文")
    chain = services.submit_for_review(
        item, actor=reviewer, revision_hash=item.signoff_revision(), template=template
    )
    with pytest.raises(SelfApprovalForbiddenError):
        services.approve_step(active_step(chain), actor=reviewer, revision_hash=chain.revision_hash)


def test_self_approval_allowed_when_step_permits_it(reviewer, petition_bureau, template):
    template.steps.filter(order=1).update(forbid_self_approval=False)
    grant_role(user=reviewer, agency=petition_bureau, role="drafter")
    item = new_item(reviewer, petition_bureau, title="科长自己起草", body="正文")
    chain = services.submit_for_review(
        item, actor=reviewer, revision_hash=item.signoff_revision(), template=template
    )
    services.approve_step(active_step(chain), actor=reviewer, revision_hash=chain.revision_hash)
    assert statuses(chain) == ["approved", "active", "pending"]


def test_approve_refuses_when_object_changed_since_submission(chain, item, reviewer):
    # Simulates an edit made outside the item services (another module, the admin).
    Item.objects.filter(pk=item.pk).update(body="偷偷改过的正文")
    with pytest.raises(StaleRevisionError):
        services.approve_step(active_step(chain), actor=reviewer, revision_hash=chain.revision_hash)
    assert statuses(chain) == ["active", "pending", "pending"]


def test_approve_refuses_hash_the_reviewer_did_not_see(chain, reviewer):
    with pytest.raises(StaleRevisionError):
        services.approve_step(active_step(chain), actor=reviewer, revision_hash="f" * 64)


def test_approve_refuses_pending_step(chain, signer):
    pending = chain.steps.get(order=3)
    with pytest.raises(StepNotActiveError):
        services.approve_step(pending, actor=signer, revision_hash=chain.revision_hash)


def test_approve_refuses_already_decided_step(chain, reviewer):
    step = active_step(chain)
    services.approve_step(step, actor=reviewer, revision_hash=chain.revision_hash)
    with pytest.raises(StepNotActiveError):
        services.approve_step(step, actor=reviewer, revision_hash=chain.revision_hash)
    assert StepDecision.objects.filter(step=step).count() == 1


def test_approve_refuses_on_approved_chain(chain, reviewer, confidentiality_officer, signer):
    last = approve_all(chain, reviewer, confidentiality_officer, signer).steps.get(order=3)
    with pytest.raises(ChainClosedError):
        services.approve_step(last, actor=signer, revision_hash=chain.revision_hash)


def test_approve_refuses_on_withdrawn_chain(chain, drafter, reviewer):
    step = active_step(chain)
    services.withdraw(chain, actor=drafter)
    with pytest.raises(ChainClosedError):
        services.approve_step(step, actor=reviewer, revision_hash=chain.revision_hash)


def test_approve_refuses_on_returned_chain(chain, reviewer, confidentiality_officer):
    services.approve_step(active_step(chain), actor=reviewer, revision_hash=chain.revision_hash)
    second = active_step(chain)
    services.return_for_revision(second, actor=confidentiality_officer, comment="涉及个人信息")
    with pytest.raises(StepNotActiveError):
        services.approve_step(
            second, actor=confidentiality_officer, revision_hash=chain.revision_hash
        )


# --- return --------------------------------------------------------------------------------


def test_return_requires_comment(chain, reviewer):
    for blank in ("", "   "):
        with pytest.raises(CommentRequiredError):
            services.return_for_revision(active_step(chain), actor=reviewer, comment=blank)
    assert statuses(chain) == ["active", "pending", "pending"]


def test_return_reopens_for_drafter_and_skips_rest(
    chain, reviewer, confidentiality_officer, django_capture_on_commit_callbacks
):
    services.approve_step(active_step(chain), actor=reviewer, revision_hash=chain.revision_hash)
    received = []

    def on_returned(sender, chain, step, **kwargs):
        received.append((chain.pk, step.order))

    signals.chain_returned.connect(on_returned)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.return_for_revision(
                active_step(chain), actor=confidentiality_officer, comment="涉及个人信息，请删去"
            )
    finally:
        assert signals.chain_returned.disconnect(on_returned)
    chain.refresh_from_db()
    assert chain.status == "returned"
    assert chain.closed_at is None
    assert statuses(chain) == ["approved", "returned", "skipped"]
    decision = StepDecision.objects.get(step__order=2, step__chain=chain)
    assert (decision.decision, decision.comment) == ("return", "涉及个人信息，请删去")
    assert received == [(chain.pk, 2)]
    assert action_codes(chain)[-1] == "signoff.step_returned"


def test_return_refuses_wrong_role(chain, signer):
    with pytest.raises(NotPermittedError):
        services.return_for_revision(active_step(chain), actor=signer, comment="不行")


def test_return_refuses_on_closed_chain(chain, drafter, reviewer):
    step = active_step(chain)
    services.withdraw(chain, actor=drafter)
    with pytest.raises(ChainClosedError):
        services.return_for_revision(step, actor=reviewer, comment="不行")


# --- resubmit ------------------------------------------------------------------------------


def test_resubmit_starts_new_round_with_revised_text(chain, item, drafter, reviewer):
    services.return_for_revision(active_step(chain), actor=reviewer, comment="请补充依据")
    with pytest.raises(StaleRevisionError):  # the drafter must resubmit what they see now
        services.resubmit(chain, actor=drafter, revision_hash="0" * 64)
    item = items.update_item(item, actor=drafter, title="补充依据后的公告", body="第二稿")
    services.resubmit(chain, actor=drafter, revision_hash=item.signoff_revision())
    chain.refresh_from_db()
    assert (chain.status, chain.round) == ("in_review", 2)
    assert chain.title == "补充依据后的公告"
    assert chain.revision_hash == item.signoff_revision()
    assert statuses(chain) == ["active", "pending", "pending"]
    # Round one stays as it was decided.
    assert list(chain.steps.filter(round=1).values_list("status", flat=True)) == [
        "returned",
        "skipped",
        "skipped",
    ]
    assert action_codes(chain)[-1] == "signoff.resubmitted"


def test_resubmit_refuses_chain_in_review(chain, drafter, item):
    with pytest.raises(IllegalTransitionError):
        services.resubmit(chain, actor=drafter, revision_hash=item.signoff_revision())


def test_resubmit_refuses_closed_chain(chain, drafter, item):
    services.withdraw(chain, actor=drafter)
    with pytest.raises(ChainClosedError):
        services.resubmit(chain, actor=drafter, revision_hash=item.signoff_revision())


@pytest.mark.parametrize("persona", ["outsider", "handler", "sysadmin", "supervisor"])
def test_resubmit_refuses_others(request, chain, reviewer, item, persona):
    services.return_for_revision(active_step(chain), actor=reviewer, comment="请补充")
    with pytest.raises(NotPermittedError):
        services.resubmit(
            chain, actor=request.getfixturevalue(persona), revision_hash=item.signoff_revision()
        )


def test_resubmit_by_agency_admin(chain, reviewer, agency_admin, item):
    services.return_for_revision(active_step(chain), actor=reviewer, comment="请补充")
    services.resubmit(chain, actor=agency_admin, revision_hash=item.signoff_revision())
    chain.refresh_from_db()
    assert (chain.status, chain.submitted_by.username) == ("in_review", "drafter")
    assert events_for(chain).order_by("seq").last().actor == agency_admin


# --- withdraw ------------------------------------------------------------------------------


def test_withdraw_by_submitter_closes_and_allows_new_submission(chain, drafter, item, template):
    services.withdraw(chain, actor=drafter)
    chain.refresh_from_db()
    assert chain.status == "withdrawn"
    assert chain.closed_at is not None
    assert statuses(chain) == ["skipped", "skipped", "skipped"]
    again = services.submit_for_review(
        item, actor=drafter, revision_hash=item.signoff_revision(), template=template
    )
    assert again.pk != chain.pk
    assert action_codes(chain)[-1] == "signoff.withdrawn"


def test_withdraw_returned_chain(chain, drafter, reviewer):
    services.return_for_revision(active_step(chain), actor=reviewer, comment="请补充")
    services.withdraw(chain, actor=drafter)
    chain.refresh_from_db()
    assert chain.status == "withdrawn"


def test_withdraw_by_agency_admin(chain, agency_admin):
    services.withdraw(chain, actor=agency_admin)
    chain.refresh_from_db()
    assert chain.status == "withdrawn"


@pytest.mark.parametrize("persona", ["reviewer", "signer", "outsider"])
def test_withdraw_refuses_others(request, chain, persona):
    with pytest.raises(NotPermittedError):
        services.withdraw(chain, actor=request.getfixturevalue(persona))


def test_withdraw_refuses_closed_chain(chain, drafter, reviewer, confidentiality_officer, signer):
    approve_all(chain, reviewer, confidentiality_officer, signer)
    with pytest.raises(ChainClosedError):
        services.withdraw(chain, actor=drafter)


# --- delegate ------------------------------------------------------------------------------


def test_deputy_decides_on_behalf_of_delegating_signer(
    chain, reviewer, confidentiality_officer, signer, handler
):
    sign_step = chain.steps.get(order=3)
    # A pending step may be delegated ahead of time (the leader leaves on a trip).
    services.delegate_step(sign_step, actor=signer, deputy=handler, reason="出差，委托代签")
    services.approve_step(active_step(chain), actor=reviewer, revision_hash=chain.revision_hash)
    services.approve_step(
        active_step(chain), actor=confidentiality_officer, revision_hash=chain.revision_hash
    )
    services.approve_step(active_step(chain), actor=handler, revision_hash=chain.revision_hash)
    sign_step.refresh_from_db()
    assert (sign_step.delegated_to, sign_step.delegated_by) == (handler, signer)
    assert sign_step.decided_by == handler
    decision = StepDecision.objects.get(step=sign_step)
    assert (decision.actor, decision.on_behalf_of) == (handler, signer)
    chain.refresh_from_db()
    assert chain.status == "approved"


def test_role_holder_keeps_right_to_decide_after_delegating(chain, reviewer, handler):
    step = active_step(chain)
    services.delegate_step(step, actor=reviewer, deputy=handler, reason="休假")
    services.approve_step(step, actor=reviewer, revision_hash=chain.revision_hash)
    assert StepDecision.objects.get(step=step).on_behalf_of is None


def test_deputy_cannot_self_approve(chain, drafter, reviewer):
    step = active_step(chain)
    services.delegate_step(step, actor=reviewer, deputy=drafter, reason="休假")
    with pytest.raises(SelfApprovalForbiddenError):
        services.approve_step(step, actor=drafter, revision_hash=chain.revision_hash)


@pytest.mark.parametrize("deputy", ["outsider", "supervisor", "reviewer"])
def test_delegation_refuses_non_members_and_self(request, chain, reviewer, deputy):
    with pytest.raises(InvalidDelegationError):
        services.delegate_step(
            active_step(chain),
            actor=reviewer,
            deputy=request.getfixturevalue(deputy),
            reason="休假",
        )


def test_delegation_refuses_inactive_deputy(chain, reviewer, handler):
    handler.is_active = False
    handler.save(update_fields=["is_active"])
    with pytest.raises(InvalidDelegationError):
        services.delegate_step(active_step(chain), actor=reviewer, deputy=handler, reason="休假")


def test_delegation_requires_reason(chain, reviewer, handler):
    with pytest.raises(InvalidDelegationError):
        services.delegate_step(active_step(chain), actor=reviewer, deputy=handler, reason=" ")


def test_delegation_only_by_role_holder(chain, signer, handler):
    with pytest.raises(NotPermittedError):
        services.delegate_step(active_step(chain), actor=signer, deputy=handler, reason="代办")


def test_deputy_cannot_delegate_further(chain, reviewer, handler, agency_admin):
    step = active_step(chain)
    services.delegate_step(step, actor=reviewer, deputy=handler, reason="休假")
    with pytest.raises(NotPermittedError):
        services.delegate_step(step, actor=handler, deputy=agency_admin, reason="转委托")


def test_delegation_refused_on_closed_chain(chain, drafter, reviewer, handler):
    step = active_step(chain)
    services.withdraw(chain, actor=drafter)
    with pytest.raises(ChainClosedError):
        services.delegate_step(step, actor=reviewer, deputy=handler, reason="休假")


def test_delegation_refused_on_decided_step(chain, reviewer, handler):
    step = active_step(chain)
    services.approve_step(step, actor=reviewer, revision_hash=chain.revision_hash)
    with pytest.raises(StepNotActiveError):
        services.delegate_step(step, actor=reviewer, deputy=handler, reason="休假")


# --- the reviewed object --------------------------------------------------------------------


def test_item_locked_while_in_review_editable_when_returned(chain, item, drafter, reviewer):
    with pytest.raises(DocumentLockedError):
        items.update_item(item, actor=drafter, title="改", body="改")
    services.return_for_revision(active_step(chain), actor=reviewer, comment="请修改")
    updated = items.update_item(item, actor=drafter, title="改", body="改")
    assert updated.signoff_revision() != chain.revision_hash


def test_revision_hash_distinguishes_field_boundaries(item, drafter):
    assert content_hash("ab", "c") != content_hash("a", "bc")
    before = item.signoff_revision()
    item.title, item.body = item.title[:-1], item.title[-1] + item.body
    assert item.signoff_revision() != before


def test_errors_carry_chinese_messages():
    for error in (
        StaleRevisionError(),
        NotPermittedError(),
        ChainClosedError(),
        SignoffError("自定义"),
    ):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message)
        assert str(error) == error.message


# --- database invariants -------------------------------------------------------------------


def test_database_refuses_second_open_chain(chain):
    duplicate = Chain(
        content_type=chain.content_type,
        object_id=chain.object_id,
        agency=chain.agency,
        purpose=chain.purpose,
        template_name="x",
        title="x",
        status="returned",
        submitted_by=chain.submitted_by,
        revision_hash=chain.revision_hash,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_database_allows_many_closed_chains(chain, drafter):
    services.withdraw(chain, actor=drafter)
    Chain.objects.create(
        content_type=chain.content_type,
        object_id=chain.object_id,
        agency=chain.agency,
        purpose=chain.purpose,
        template_name="x",
        title="x",
        status="withdrawn",
        submitted_by=drafter,
        revision_hash=chain.revision_hash,
    )


def test_database_refuses_second_decision_on_a_step(chain, reviewer):
    step = active_step(chain)
    services.approve_step(step, actor=reviewer, revision_hash=chain.revision_hash)
    with pytest.raises(IntegrityError), transaction.atomic():
        StepDecision.objects.create(
            step=step,
            actor=reviewer,
            decision="approve",
            revision_hash=chain.revision_hash,
            at=timezone.now(),
        )
