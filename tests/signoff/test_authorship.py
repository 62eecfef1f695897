"""Sign-off integrity (issue 8): frozen approvals, who may edit, who may decide, bounded text."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from tests.signoff.conftest import active_step, approve_all, new_item

from gongkai.agencies.services import create_section, grant_role
from gongkai.disclosure import services as items
from gongkai.eventlog.models import Event
from gongkai.security.text import COMMENT_MAX, REASON_MAX
from gongkai.signoff import services
from gongkai.signoff.errors import (
    CommentRequiredError,
    DocumentLockedError,
    InvalidDelegationError,
    InvalidTextError,
    NotAuthorError,
    NotPermittedError,
    RevisionAuthorError,
    SignoffError,
)
from gongkai.signoff.models import RevisionNote, Step

pytestmark = pytest.mark.django_db


def may_write(user, agency):
    """Items are edited only by the agency's writers; the engine's rule comes on top of that."""
    grant_role(user=user, agency=agency, role="drafter")


# --- an approved object is frozen: an edit is a new revision needing a new review ---------------


def test_editing_an_approved_item_supersedes_the_approval(
    item, chain, drafter, reviewer, confidentiality_officer, signer
):
    approve_all(chain, reviewer, confidentiality_officer, signer)
    assert services.current_approval(item) == chain
    item = items.update_item(item, actor=drafter, title=item.title, body="签发后改动")
    item.refresh_from_db()
    assert services.current_approval(item) is None
    assert Event.objects.filter(action="signoff.approval_superseded").count() == 1
    # A second edit does not repeat the event; a new review starts from the new revision.
    item = items.update_item(item, actor=drafter, title=item.title, body="再改一次")
    assert Event.objects.filter(action="signoff.approval_superseded").count() == 1
    again = services.submit_for_review(item, actor=drafter, revision_hash=item.signoff_revision())
    assert again.pk != chain.pk


def test_unchanged_save_keeps_the_approval(
    item, chain, drafter, reviewer, confidentiality_officer, signer
):
    approve_all(chain, reviewer, confidentiality_officer, signer)
    item = items.update_item(item, actor=drafter, title=item.title, body=item.body)
    assert services.current_approval(item) == chain


# --- only the author and named editors may edit --------------------------------------------------


def test_another_member_cannot_edit_the_authors_draft(item, reviewer, agency_admin):
    may_write(reviewer, item.agency)
    for actor in (reviewer, agency_admin):
        with pytest.raises(NotAuthorError):
            items.update_item(item, actor=actor, title="改", body="改")
    item.refresh_from_db()
    assert item.body == "正文第一稿"


def test_a_named_editor_may_edit(item, reviewer, agency_admin, petition_bureau, office_section):
    may_write(reviewer, petition_bureau)
    services.name_editor(
        actor=agency_admin, agency=petition_bureau, user=reviewer, section=office_section
    )
    item = items.update_item(item, actor=reviewer, title=item.title, body="编辑改稿")
    assert RevisionNote.objects.filter(author=reviewer).count() == 1


def test_an_editor_of_another_section_may_not(item, reviewer, agency_admin, petition_bureau):
    may_write(reviewer, petition_bureau)
    other = create_section(agency=petition_bureau, name="督查科")
    services.name_editor(actor=agency_admin, agency=petition_bureau, user=reviewer, section=other)
    with pytest.raises(NotAuthorError):
        items.update_item(item, actor=reviewer, title="改", body="改")


def test_revoked_editor_may_not(item, reviewer, agency_admin, petition_bureau):
    grant = services.name_editor(actor=agency_admin, agency=petition_bureau, user=reviewer)
    services.revoke_editor(grant, actor=agency_admin)
    with pytest.raises(NotAuthorError):
        services.check_may_edit(item, actor=reviewer)


def test_only_the_agency_admin_names_editors(reviewer, drafter, petition_bureau):
    with pytest.raises(NotPermittedError):
        services.name_editor(actor=drafter, agency=petition_bureau, user=reviewer)


def test_outsiders_cannot_be_named(agency_admin, outsider, petition_bureau):
    with pytest.raises(InvalidDelegationError):
        services.name_editor(actor=agency_admin, agency=petition_bureau, user=outsider)


def test_author_cannot_edit_while_in_review(item, chain, drafter):
    with pytest.raises(DocumentLockedError):
        services.check_may_edit(item, actor=drafter)


# --- nobody who authored the revision under review decides it ------------------------------------


def test_a_reviewer_who_edited_the_revision_cannot_approve_it(
    item, template, drafter, reviewer, agency_admin, petition_bureau
):
    may_write(reviewer, petition_bureau)
    services.name_editor(actor=agency_admin, agency=petition_bureau, user=reviewer)
    item = items.update_item(item, actor=reviewer, title=item.title, body="科长改过")
    chain = services.submit_for_review(
        item, actor=drafter, revision_hash=item.signoff_revision(), template=template
    )
    step = active_step(chain)
    with pytest.raises(RevisionAuthorError):
        services.approve_step(step, actor=reviewer, revision_hash=chain.revision_hash)
    with pytest.raises(RevisionAuthorError):
        services.return_for_revision(step, actor=reviewer, comment="我自己退回")
    step.refresh_from_db()
    assert step.status == "active"


def test_authors_before_the_last_approval_are_history(
    item, template, drafter, handler, reviewer, confidentiality_officer, signer, agency_admin
):
    may_write(handler, item.agency)
    services.name_editor(actor=agency_admin, agency=item.agency, user=handler)
    item = items.update_item(item, actor=handler, title=item.title, body="办理人改过")
    first = services.submit_for_review(
        item, actor=drafter, revision_hash=item.signoff_revision(), template=template
    )
    assert services.revision_authors(first) == {drafter.pk, handler.pk}
    approve_all(first, reviewer, confidentiality_officer, signer)
    item = items.update_item(item, actor=drafter, title=item.title, body="第二版")
    second = services.submit_for_review(
        item, actor=drafter, revision_hash=item.signoff_revision(), template=template
    )
    assert services.revision_authors(second) == {drafter.pk}


def test_the_step_page_says_why_an_author_cannot_decide(
    client, item, template, drafter, reviewer, agency_admin, petition_bureau
):
    may_write(reviewer, petition_bureau)
    services.name_editor(actor=agency_admin, agency=petition_bureau, user=reviewer)
    item = items.update_item(item, actor=reviewer, title=item.title, body="科长改过")
    chain = services.submit_for_review(
        item, actor=drafter, revision_hash=item.signoff_revision(), template=template
    )
    client.force_login(reviewer)
    page = client.get(reverse("workspace:step_detail", args=[active_step(chain).pk]))
    assert "您参与修改了送审版本" in page.content.decode()


# --- free text at the engine --------------------------------------------------------------------


def test_huge_delegation_reason_is_refused_not_stored(chain, reviewer, handler):
    with pytest.raises(InvalidTextError, match="委托事由"):
        services.delegate_step(
            active_step(chain), actor=reviewer, deputy=handler, reason="长" * 2_000_000
        )
    assert not Event.objects.filter(action="signoff.step_delegated").exists()


def test_delegation_reason_at_the_limit_is_kept_whole(chain, reviewer, handler):
    step = services.delegate_step(
        active_step(chain), actor=reviewer, deputy=handler, reason="因" * REASON_MAX
    )
    assert len(step.delegation_reason) == REASON_MAX


@pytest.mark.parametrize("comment", ["有\x00空字符", "方向\u202e控制", "响铃\x07"])
def test_control_characters_in_comments_are_refused(chain, reviewer, comment):
    with pytest.raises(InvalidTextError):
        services.approve_step(
            active_step(chain), actor=reviewer, revision_hash=chain.revision_hash, comment=comment
        )
    with pytest.raises(InvalidTextError):
        services.return_for_revision(active_step(chain), actor=reviewer, comment=comment)


@pytest.mark.parametrize("comment", ["", "   ", "\u200b\u200b", "\u3000\ufeff", None])
def test_blank_or_invisible_return_reason_is_no_reason(chain, reviewer, comment):
    with pytest.raises(CommentRequiredError):
        services.return_for_revision(active_step(chain), actor=reviewer, comment=comment)


def test_overlong_comment_refused(chain, reviewer):
    with pytest.raises(InvalidTextError, match=str(COMMENT_MAX)):
        services.return_for_revision(
            active_step(chain), actor=reviewer, comment="长" * (COMMENT_MAX + 1)
        )


def test_return_comment_with_an_id_number_is_masked_in_the_event(chain, reviewer):
    services.return_for_revision(
        active_step(chain), actor=reviewer, comment="申请人身份证号 110101199003071234 需删去"
    )
    event = Event.objects.get(action="signoff.step_returned")
    assert "110101199003071234" not in str(event.after)
    assert "110101********1234" in event.after["comment"]


def test_database_refuses_an_overlong_comment(chain):
    with pytest.raises(IntegrityError), transaction.atomic():
        Step.objects.filter(chain=chain).update(comment="长" * (COMMENT_MAX + 1))


@pytest.mark.parametrize(
    ("title", "body"), [("", "正文"), ("\u3000", "正文"), ("标\x00题", "正文")]
)
def test_item_text_checked(drafter, petition_bureau, title, body):
    with pytest.raises(SignoffError):
        new_item(drafter, petition_bureau, title=title, body=body)
