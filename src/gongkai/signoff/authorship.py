"""Who wrote a revision, who may edit, and whether an approval still covers the object.

Re-exported by ``services`` (``note_revision``, ``check_may_edit``, ``current_approval``,
``name_editor``, ``revoke_editor``): the contract items, letters and annual reports code against.
The rules (issue 8):

- only the author, or someone the agency admin named as editor for the object's section, may
  edit a draft (``check_may_edit``); nobody may while it is in review;
- every save that changes ``signoff_revision()`` is noted with its author (``note_revision``);
- nobody who authored any part of the revision under review — every note since the object's last
  approval, plus the submitter — may decide a step of it (``revision_authors``);
- an approved object stays editable, but the edit is a new revision: the approval no longer
  covers it (``current_approval`` is None) and it needs a new review.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.agencies.access import can_write, has_role
from gongkai.agencies.models import Role
from gongkai.eventlog.services import record
from gongkai.signoff import actions
from gongkai.signoff.errors import (
    DocumentLockedError,
    InvalidDelegationError,
    NotAuthorError,
    NotPermittedError,
)
from gongkai.signoff.models import Chain, EditorGrant, RevisionNote
from gongkai.signoff.states import ChainStatus


def _key(obj: Any) -> dict[str, Any]:
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk}


def note_revision(obj: Any, *, actor: Any) -> RevisionNote:
    """Record that ``actor`` saved ``obj`` as its current revision; call in the save's transaction.

    If the object was approved and this revision differs from the approved one, the approval is
    superseded: the event says so, so the log shows when a signed text stopped being signed.
    """
    revision = obj.signoff_revision()
    note = RevisionNote.objects.create(
        **_key(obj), revision_hash=revision, author=actor, noted_at=timezone.now()
    )
    approved = last_approved_chain(obj)
    if approved is not None and approved.revision_hash != revision:
        previous = RevisionNote.objects.filter(**_key(obj)).exclude(pk=note.pk).last()
        if previous is None or previous.revision_hash == approved.revision_hash:
            record(
                action=actions.APPROVAL_SUPERSEDED,
                actor=actor,
                obj=approved,
                agency=approved.agency,
                before={"revision": approved.revision_hash},
                after={"revision": revision},
            )
    return note


def last_approved_chain(obj: Any) -> Chain | None:
    return (
        Chain.objects.filter(**_key(obj), status=ChainStatus.APPROVED)
        .order_by("-closed_at", "-pk")
        .first()
    )


def current_approval(obj: Any) -> Chain | None:
    """The approved chain that covers ``obj`` exactly as it is now, or None (needs review)."""
    approved = last_approved_chain(obj)
    if approved is None or approved.revision_hash != obj.signoff_revision():
        return None
    return approved


def revision_authors(chain: Chain) -> set[int]:
    """Everyone who authored part of the revision under review: notes since the last approval."""
    key = {"content_type_id": chain.content_type_id, "object_id": chain.object_id}
    since = (
        Chain.objects.filter(**key, status=ChainStatus.APPROVED)
        .exclude(pk=chain.pk)
        .aggregate(at=Max("closed_at"))["at"]
    )
    notes = RevisionNote.objects.filter(**key)
    if since is not None:
        notes = notes.filter(noted_at__gt=since)
    return set(notes.values_list("author_id", flat=True)) | {chain.submitted_by_id}


def editor_ids(obj: Any) -> set[int]:
    named = getattr(obj, "signoff_editor_ids", None)
    return set(named()) if callable(named) else set()


def may_edit(obj: Any, user: Any) -> bool:
    """The author or a named editor (review state not considered)."""
    if not can_write(user, obj.signoff_agency):
        return False
    return user.pk == obj.signoff_author_id or user.pk in editor_ids(obj)


def check_may_edit(obj: Any, *, actor: Any) -> None:
    """Raise unless ``actor`` may edit ``obj`` now (see the module docstring)."""
    if not can_write(actor, obj.signoff_agency):
        raise NotPermittedError("您不是该机关的工作人员，不能修改。")
    if actor.pk != obj.signoff_author_id and actor.pk not in editor_ids(obj):
        raise NotAuthorError
    open_chain = Chain.objects.filter(**_key(obj), status=ChainStatus.IN_REVIEW).first()
    if open_chain is not None:
        raise DocumentLockedError


def name_editor(*, actor: Any, agency: Any, user: Any, section: Any = None) -> EditorGrant:
    """The agency admin names ``user`` (an active member) editor of the section's drafts."""
    if not (getattr(actor, "is_superuser", False) or has_role(actor, agency, Role.AGENCY_ADMIN)):
        raise NotPermittedError("只有本机关管理员可以指定编辑人员。")
    if section is not None and section.agency_id != agency.pk:
        raise NotPermittedError("该科室不属于本机关。")
    if not can_write(user, agency) or user.is_superuser:
        raise InvalidDelegationError("编辑人员必须是本机关在岗成员。")
    existing = EditorGrant.objects.filter(
        agency=agency, section=section, user=user, active=True
    ).first()
    if existing is not None:  # NULL sections never collide in the unique constraint
        return existing
    with transaction.atomic():
        try:
            with transaction.atomic():
                grant = EditorGrant.objects.create(
                    agency=agency, section=section, user=user, granted_by=actor
                )
        except IntegrityError:
            return EditorGrant.objects.get(agency=agency, section=section, user=user, active=True)
        record(
            action=actions.EDITOR_NAMED,
            actor=actor,
            obj=grant,
            agency=agency,
            after={"user": user.pk, "section": section and section.pk},
        )
    return grant


def revoke_editor(grant: EditorGrant, *, actor: Any) -> EditorGrant:
    if not (
        getattr(actor, "is_superuser", False) or has_role(actor, grant.agency, Role.AGENCY_ADMIN)
    ):
        raise NotPermittedError("只有本机关管理员可以撤销编辑人员。")
    with transaction.atomic():
        grant = EditorGrant.objects.select_for_update().get(pk=grant.pk)
        if not grant.active:
            return grant
        grant.active = False
        grant.save(update_fields=["active"])
        record(
            action=actions.EDITOR_REVOKED,
            actor=actor,
            obj=grant,
            agency=grant.agency,
            before={"user": grant.user_id, "section": grant.section_id, "active": True},
        )
    return grant
