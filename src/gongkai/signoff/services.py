"""The verbs of the sign-off engine; nothing else assigns a chain's or a step's status.

Each verb takes the actor, locks the rows it changes (``select_for_update``), checks the current
state against ``states``, saves with ``update_fields``, writes the event in the same transaction
and schedules signals with ``transaction.on_commit``. Refusals raise ``SignoffError`` subclasses.

A reviewable object implements the protocol in ``protocol.py`` (``signoff_agency``,
``signoff_title``, ``signoff_revision()``, ``signoff_purpose``, ``signoff_author_id``, optional
``signoff_editor_ids()``). Authorship rules live in ``authorship.py`` and are re-exported here:
``note_revision``, ``check_may_edit``, ``current_approval``, ``name_editor``, ``revoke_editor``.
Every free text a verb takes is checked by ``security.text.clean_text`` (the form checks too;
this is the line no caller can skip).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.agencies.access import can_write, has_role, user_roles
from gongkai.agencies.models import Role
from gongkai.eventlog.services import record
from gongkai.security.text import (
    COMMENT_MAX,
    REASON_MAX,
    TextRefusedError,
    clean_text,
)
from gongkai.security.text import is_blank as is_blank_text
from gongkai.signoff import actions, signals
from gongkai.signoff.authorship import (
    check_may_edit,
    current_approval,
    may_edit,
    name_editor,
    note_revision,
    revision_authors,
    revoke_editor,
)
from gongkai.signoff.errors import (
    AlreadyInReviewError,
    ChainClosedError,
    CommentRequiredError,
    EmptyTemplateError,
    IllegalTransitionError,
    InvalidDelegationError,
    InvalidTextError,
    NoTemplateError,
    NotPermittedError,
    RevisionAuthorError,
    SelfApprovalForbiddenError,
    SignoffError,
    StaleRevisionError,
    StepNotActiveError,
    TemplateNotApplicableError,
)
from gongkai.signoff.models import Chain, ChainTemplate, Step, StepDecision
from gongkai.signoff.protocol import Reviewable
from gongkai.signoff.states import (
    OPEN_CHAIN_STATES,
    ChainStatus,
    Decision,
    StepStatus,
    can_chain_move,
    can_step_move,
)

__all__ = [
    "check_may_edit",
    "current_approval",
    "may_edit",
    "name_editor",
    "note_revision",
    "revoke_editor",
]

# ---------------------------------------------------------------------------------------------
# templates


def template_for(agency: Any, purpose: str) -> ChainTemplate:
    """The agency's own active template for ``purpose``, else the platform default."""
    candidates = ChainTemplate.objects.filter(purpose=purpose, is_active=True)
    own = candidates.filter(agency=agency).order_by("pk").first()
    if own is not None:
        return own
    default = candidates.filter(agency__isnull=True).order_by("pk").first()
    if default is None:
        raise NoTemplateError
    return default


# ---------------------------------------------------------------------------------------------
# helpers


def _lock_chain(chain: Chain) -> Chain:
    return Chain.objects.select_for_update().get(pk=chain.pk)


def _lock_step(step: Step) -> tuple[Step, Chain]:
    # Chain first, then step: every verb locks in this order, so two verbs cannot deadlock.
    chain = Chain.objects.select_for_update().get(pk=step.chain_id)
    locked = Step.objects.select_for_update().get(pk=step.pk)
    return locked, chain


def _move_chain(chain: Chain, target: str) -> None:
    if not can_chain_move(chain.status, target):
        if not chain.is_open:
            raise ChainClosedError
        raise IllegalTransitionError
    chain.status = target


def _move_step(step: Step, target: str) -> None:
    if not can_step_move(step.status, target):
        raise StepNotActiveError
    step.status = target


def _current_revision(chain: Chain) -> str:
    obj = chain.content_object
    if obj is None:  # the object was deleted under a running review
        raise StaleRevisionError
    return obj.signoff_revision()


def _check_revision(chain: Chain, revision_hash: str) -> None:
    """The reviewer saw ``revision_hash``; it must be what was submitted and what exists now."""
    if revision_hash != chain.revision_hash or _current_revision(chain) != chain.revision_hash:
        raise StaleRevisionError


def _create_round(chain: Chain, now: Any) -> Step:
    steps = [
        Step(
            chain=chain,
            round=chain.round,
            order=spec["order"],
            name=spec["name"],
            role=spec["role"],
            forbid_self_approval=spec["forbid_self_approval"],
        )
        for spec in chain.template_snapshot
    ]
    Step.objects.bulk_create(steps)
    first = Step.objects.get(chain=chain, round=chain.round, order=steps[0].order)
    _activate(first, now)
    return first


def _activate(step: Step, now: Any) -> None:
    _move_step(step, StepStatus.ACTIVE)
    step.activated_at = now
    step.save(update_fields=["status", "activated_at"])
    transaction.on_commit(lambda: signals.step_activated.send(sender=Step, step=step))


def _close_round(chain: Chain) -> None:
    """Steps not reached in this round will never run: mark them skipped, not pending forever."""
    Step.objects.filter(
        chain=chain, round=chain.round, status__in=[StepStatus.PENDING, StepStatus.ACTIVE]
    ).update(status=StepStatus.SKIPPED)


def may_decide(step: Step, user: Any) -> bool:
    """Whether ``user`` may decide ``step`` by role or by delegation (state not checked)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if step.delegated_to_id is not None and step.delegated_to_id == user.pk:
        return True
    return has_role(user, step.chain.agency, step.role)


def _text(value: Any, *, limit: int, required: bool = False, what: str) -> str:
    try:
        return clean_text(value, limit=limit, required=required)
    except TextRefusedError as exc:
        raise InvalidTextError(f"{what}：{exc.message}") from None


def self_decision_refusal(step: Step, chain: Chain, user: Any) -> SignoffError | None:
    """Why ``user`` may not decide this step as an author of the revision (None if they may).

    The template's ``forbid_self_approval`` switches the rule off for a step (a one-person
    office); when on, it covers the submitter and every author noted since the last approval.
    """
    if not step.forbid_self_approval:
        return None
    if chain.submitted_by_id == user.pk:
        return SelfApprovalForbiddenError()
    if user.pk in revision_authors(chain):
        return RevisionAuthorError()
    return None


def _check_decider(step: Step, chain: Chain, actor: Any) -> Any:
    """Refuse unauthorised or self approvals; return the delegating user when acting as deputy."""
    step.chain = chain
    if not may_decide(step, actor):
        raise NotPermittedError
    refusal = self_decision_refusal(step, chain, actor)
    if refusal is not None:
        raise refusal
    by_role = has_role(actor, chain.agency, step.role)
    return None if by_role else step.delegated_by


def _is_submitter_or_admin(actor: Any, chain: Chain) -> bool:
    return chain.submitted_by_id == actor.pk or has_role(actor, chain.agency, Role.AGENCY_ADMIN)


def _snapshot(chain: Chain, step: Step | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "chain": chain.pk,
        "status": chain.status,
        "round": chain.round,
        "revision": chain.revision_hash,
    }
    if step is not None:
        data.update({"step": step.pk, "step_name": step.name, "step_status": step.status})
    return data


# ---------------------------------------------------------------------------------------------
# verbs


def submit_for_review(
    obj: Reviewable,
    *,
    actor: Any,
    revision_hash: str,
    template: ChainTemplate | None = None,
) -> Chain:
    """Start a review chain for ``obj`` as the submitter saw it (``revision_hash``)."""
    agency = obj.signoff_agency
    if not can_write(actor, agency):
        raise NotPermittedError("您不是该机关的工作人员，不能送审。")
    with transaction.atomic():
        # Lock the object itself: two submissions of the same object queue up here.
        type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if obj.signoff_revision() != revision_hash:
            raise StaleRevisionError
        template = template or template_for(agency, obj.signoff_purpose)
        if template.purpose != obj.signoff_purpose or template.agency_id not in (
            None,
            agency.pk,
        ):
            raise TemplateNotApplicableError
        snapshot = template.snapshot()
        if not snapshot:
            raise EmptyTemplateError
        content_type = ContentType.objects.get_for_model(obj)
        if Chain.objects.filter(
            content_type=content_type, object_id=obj.pk, status__in=sorted(OPEN_CHAIN_STATES)
        ).exists():
            raise AlreadyInReviewError
        now = timezone.now()
        try:
            with transaction.atomic():
                chain = Chain.objects.create(
                    content_type=content_type,
                    object_id=obj.pk,
                    agency=agency,
                    purpose=obj.signoff_purpose,
                    template=template,
                    template_name=template.name,
                    template_snapshot=snapshot,
                    title=obj.signoff_title[:300],
                    status=ChainStatus.IN_REVIEW,
                    submitted_by=actor,
                    revision_hash=revision_hash,
                )
        except IntegrityError as exc:  # the partial unique index is the last word
            raise AlreadyInReviewError from exc
        first = _create_round(chain, now)
        record(
            action=actions.SUBMITTED,
            actor=actor,
            obj=chain,
            agency=agency,
            after=_snapshot(chain, first),
        )
    return chain


def _lock_for_decision(step: Step, actor: Any) -> tuple[Step, Chain, Any]:
    """Lock the step and its chain for a decision; returns who is acted for, if delegated."""
    step, chain = _lock_step(step)
    if not chain.is_open:
        raise ChainClosedError
    if step.status != StepStatus.ACTIVE or chain.status != ChainStatus.IN_REVIEW:
        raise StepNotActiveError
    return step, chain, _check_decider(step, chain, actor)


def approve_step(step: Step, *, actor: Any, revision_hash: str, comment: str = "") -> Step:
    """Approve the active step; approving the last step approves the chain."""
    comment = _text(comment, limit=COMMENT_MAX, what="审核意见")
    with transaction.atomic():
        step, chain, on_behalf_of = _lock_for_decision(step, actor)
        _check_revision(chain, revision_hash)
        before = _snapshot(chain, step)
        now = timezone.now()
        _decide(
            step,
            actor=actor,
            on_behalf_of=on_behalf_of,
            decision=Decision.APPROVE,
            comment=comment,
            revision_hash=revision_hash,
            now=now,
        )
        _move_step(step, StepStatus.APPROVED)
        step.save(update_fields=_DECISION_FIELDS)
        following = (
            Step.objects.select_for_update()
            .filter(chain=chain, round=chain.round, order__gt=step.order)
            .order_by("order")
            .first()
        )
        if following is not None:
            _activate(following, now)
        else:
            _move_chain(chain, ChainStatus.APPROVED)
            chain.closed_at = now
            chain.save(update_fields=["status", "closed_at", "updated_at"])
        record(
            action=actions.STEP_APPROVED,
            actor=actor,
            obj=chain,
            agency=chain.agency,
            before=before,
            after=_snapshot(chain, step) | {"on_behalf_of": on_behalf_of and on_behalf_of.pk},
        )
        if following is None:
            record(
                action=actions.CHAIN_APPROVED,
                actor=actor,
                obj=chain,
                agency=chain.agency,
                after=_snapshot(chain),
            )
            transaction.on_commit(lambda: signals.chain_approved.send(sender=Chain, chain=chain))
    return step


_DECISION_FIELDS = ["status", "decided_by", "decided_at", "decision", "comment", "revision_hash"]


def _decide(
    step: Step,
    *,
    actor: Any,
    on_behalf_of: Any,
    decision: str,
    comment: str,
    revision_hash: str,
    now: Any,
) -> None:
    step.decided_by = actor
    step.decided_at = now
    step.decision = decision
    step.comment = comment
    step.revision_hash = revision_hash
    # The unique constraint on StepDecision.step is the backstop if two deciders slip through.
    StepDecision.objects.create(
        step=step,
        actor=actor,
        on_behalf_of=on_behalf_of,
        decision=decision,
        comment=comment,
        revision_hash=revision_hash,
        at=now,
    )


def return_for_revision(step: Step, *, actor: Any, comment: str) -> Step:
    """Send the chain back to the drafter; a reason is mandatory (责任到人)."""
    try:
        comment = clean_text(comment, limit=COMMENT_MAX, required=True)
    except TextRefusedError as exc:
        if is_blank_text(comment):
            raise CommentRequiredError from None
        raise InvalidTextError(f"退回意见：{exc.message}") from None
    with transaction.atomic():
        step, chain, on_behalf_of = _lock_for_decision(step, actor)
        before = _snapshot(chain, step)
        now = timezone.now()
        # The reviewer returns whatever exists now; record that revision, stale or not.
        _decide(
            step,
            actor=actor,
            on_behalf_of=on_behalf_of,
            decision=Decision.RETURN,
            comment=comment,
            revision_hash=_current_revision_or(chain),
            now=now,
        )
        _move_step(step, StepStatus.RETURNED)
        step.save(update_fields=_DECISION_FIELDS)
        _close_round(chain)
        _move_chain(chain, ChainStatus.RETURNED)
        chain.save(update_fields=["status", "updated_at"])
        record(
            action=actions.STEP_RETURNED,
            actor=actor,
            obj=chain,
            agency=chain.agency,
            before=before,
            after=_snapshot(chain, step) | {"comment": comment},
        )
        transaction.on_commit(
            lambda: signals.chain_returned.send(sender=Chain, chain=chain, step=step)
        )
    return step


def _current_revision_or(chain: Chain) -> str:
    obj = chain.content_object
    return obj.signoff_revision() if obj is not None else chain.revision_hash


def resubmit(chain: Chain, *, actor: Any, revision_hash: str) -> Chain:
    """Start a new round of the same chain with the revised object; every step runs again.

    The chain keeps its original submitter (the drafter stays responsible, and self-approval is
    judged against them); the event log records who actually resubmitted.
    """
    with transaction.atomic():
        chain = _lock_chain(chain)
        if not can_write(actor, chain.agency) or not _is_submitter_or_admin(actor, chain):
            raise NotPermittedError("只有送审人或本机关管理员可以重新送审。")
        if not chain.is_open:
            raise ChainClosedError
        if chain.status != ChainStatus.RETURNED:
            raise IllegalTransitionError("只有被退回的稿件才能重新送审。")
        if _current_revision(chain) != revision_hash:
            raise StaleRevisionError
        before = _snapshot(chain)
        _move_chain(chain, ChainStatus.IN_REVIEW)
        chain.round += 1
        chain.revision_hash = revision_hash
        chain.title = chain.content_object.signoff_title[:300]
        chain.save(
            update_fields=[
                "status",
                "round",
                "revision_hash",
                "title",
                "updated_at",
            ]
        )
        first = _create_round(chain, timezone.now())
        record(
            action=actions.RESUBMITTED,
            actor=actor,
            obj=chain,
            agency=chain.agency,
            before=before,
            after=_snapshot(chain, first),
        )
    return chain


def withdraw(chain: Chain, *, actor: Any) -> Chain:
    """The submitter (or an agency admin) pulls an open chain back; it closes for good."""
    with transaction.atomic():
        chain = _lock_chain(chain)
        if not chain.is_open:
            raise ChainClosedError
        if not _is_submitter_or_admin(actor, chain):
            raise NotPermittedError("只有送审人或本机关管理员可以撤回。")
        before = _snapshot(chain)
        _close_round(chain)
        _move_chain(chain, ChainStatus.WITHDRAWN)
        chain.closed_at = timezone.now()
        chain.save(update_fields=["status", "closed_at", "updated_at"])
        record(
            action=actions.WITHDRAWN,
            actor=actor,
            obj=chain,
            agency=chain.agency,
            before=before,
            after=_snapshot(chain),
        )
    return chain


def delegate_step(step: Step, *, actor: Any, deputy: Any, reason: str) -> Step:
    """A holder of the step's role names a deputy (an active member of the same agency).

    Role holders keep their own right to decide; the deputy's decision is recorded as made on
    behalf of the delegating user. A deputy cannot delegate further.
    """
    if is_blank_text(reason):
        raise InvalidDelegationError("委托审核必须填写事由。")
    reason = _text(reason, limit=REASON_MAX, required=True, what="委托事由")
    with transaction.atomic():
        step, chain = _lock_step(step)
        if not chain.is_open:
            raise ChainClosedError
        if step.status not in (StepStatus.PENDING, StepStatus.ACTIVE) or (
            chain.status != ChainStatus.IN_REVIEW
        ):
            raise StepNotActiveError
        if not has_role(actor, chain.agency, step.role):
            raise NotPermittedError("只有本环节的审核人员可以委托他人代为审核。")
        if deputy.pk == actor.pk or not deputy.is_active or not user_roles(deputy, chain.agency):
            raise InvalidDelegationError
        before = _snapshot(chain, step) | {"delegated_to": step.delegated_to_id}
        step.delegated_to = deputy
        step.delegated_by = actor
        step.delegation_reason = reason
        step.delegated_at = timezone.now()
        step.save(
            update_fields=["delegated_to", "delegated_by", "delegation_reason", "delegated_at"]
        )
        record(
            action=actions.STEP_DELEGATED,
            actor=actor,
            obj=chain,
            agency=chain.agency,
            before=before,
            after=_snapshot(chain, step) | {"delegated_to": deputy.pk, "reason": reason},
        )
    return step


# ---------------------------------------------------------------------------------------------
# the concrete reviewable used by tests and the demo


def open_chain_for(obj: Any) -> Chain | None:
    content_type = ContentType.objects.get_for_model(obj)
    return (
        Chain.objects.filter(
            content_type=content_type, object_id=obj.pk, status__in=sorted(OPEN_CHAIN_STATES)
        )
        .order_by("-pk")
        .first()
    )
