"""The verbs of proactive disclosure; nothing else assigns an item's status.

Each verb takes the actor, locks the item (``select_for_update``), checks the state against
``states.TRANSITIONS``, saves with ``update_fields`` and records the event in the same
transaction. ``actor=None`` is the system (sign-off signal receivers, the scheduler, the demo).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.agencies.access import can_write, has_role
from gongkai.agencies.models import Agency, Role
from gongkai.disclosure import actions, catalogue, guide, pii_scan, signals
from gongkai.disclosure.defaults import DEFAULT_TREE, GUIDE_COLUMN, ColumnSpec
from gongkai.disclosure.errors import (
    BadAttachmentError,
    ColumnError,
    IllegalItemTransitionError,
    ItemLockedError,
    NotPermittedError,
    ReasonRequiredError,
    RevisionNotApprovedError,
    ScheduleNotConfirmedError,
    UnresolvedFindingsError,
)
from gongkai.disclosure.filetypes import MAX_ATTACHMENT_BYTES, FileTypeError, detect_type
from gongkai.disclosure.models import (
    VALIDITY_KINDS,
    AgencySettings,
    Attachment,
    Column,
    ColumnKind,
    Item,
    ItemKind,
    ItemRevision,
    PiiFinding,
)
from gongkai.disclosure.sanitize import html_to_text, sanitize_html
from gongkai.disclosure.states import ItemStatus, can_move
from gongkai.eventlog.services import record
from gongkai.signoff import services as signoff
from gongkai.signoff.models import Chain
from gongkai.signoff.services import check_may_edit, note_revision
from gongkai.signoff.states import ChainStatus, Decision

BODY_SOURCE = "正文"
REVIEW_ROLES = (Role.REVIEWER, Role.CONFIDENTIALITY, Role.SIGNER, Role.AGENCY_ADMIN)
PUBLISH_ROLES = (Role.DRAFTER, Role.AGENCY_ADMIN)

ITEM_FIELDS = (
    "column",
    "kind",
    "title",
    "body",
    "issuing_body",
    "doc_number",
    "written_date",
    "subject",
    "validity",
    "effective_date",
    "validity_changed_on",
    "interprets",
)

# ---------------------------------------------------------------------------------------------
# helpers


def _is_admin(actor: Any, agency: Agency) -> bool:
    return actor is None or actor.is_superuser or has_role(actor, agency, Role.AGENCY_ADMIN)


def _require_admin(actor: Any, agency: Agency) -> None:
    if not _is_admin(actor, agency) or (actor is not None and not agency.active):
        raise NotPermittedError("只有本单位管理员可以修改栏目和主动公开设置。")


def _require_writer(actor: Any, agency: Agency) -> None:
    if actor is not None and not can_write(actor, agency):
        raise NotPermittedError("您不是该机关的工作人员。")


def _require_any_role(actor: Any, agency: Agency, roles: Iterable[str], message: str) -> None:
    if actor is None or (actor.is_superuser and agency.active):
        return
    if not can_write(actor, agency) or not any(has_role(actor, agency, r) for r in roles):
        raise NotPermittedError(message)


def _move(item: Item, target: str) -> None:
    if not can_move(item.status, target):
        raise IllegalItemTransitionError
    item.status = target


def _lock(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("agency", "column").get(pk=item.pk)


def _snapshot(item: Item) -> dict[str, Any]:
    return {
        "status": item.status,
        "title": item.title,
        "index_number": item.index_number,
        "revision": item.current_revision_id,
        "published_revision": item.published_revision_id,
    }


def settings_for(agency: Agency) -> AgencySettings:
    obj, _ = AgencySettings.objects.get_or_create(agency=agency)
    return obj


# ---------------------------------------------------------------------------------------------
# columns


def seed_default_columns(agency: Agency, *, actor: Any = None) -> int:
    """Create the default 政府信息公开专栏 tree; columns that exist are left alone."""
    created = 0
    with transaction.atomic():
        AgencySettings.objects.get_or_create(agency=agency)

        def make(specs: tuple[ColumnSpec, ...], parent: Column | None) -> None:
            nonlocal created
            for position, spec in enumerate(specs, start=1):
                column, was_created = Column.objects.get_or_create(
                    agency=agency,
                    parent=parent,
                    name=spec.name,
                    defaults={
                        "kind": spec.kind,
                        "update_days": spec.update_days,
                        "position": position * 10,
                    },
                )
                created += was_created
                make(spec.children, column)

        make(DEFAULT_TREE, None)
        if created:
            record(
                action=actions.COLUMNS_SEEDED, actor=actor, obj=agency, after={"created": created}
            )
    return created


COLUMN_FIELDS = (
    "name",
    "kind",
    "position",
    "update_days",
    "chain_template",
    "owner_section",
    "no_content_statement",
    "active",
)


def _check_column(agency: Agency, values: dict[str, Any], column: Column | None) -> None:
    parent = values.get("parent", column.parent if column else None)
    if parent is not None and parent.agency_id != agency.pk:
        raise ColumnError("上级栏目必须属于本机关。")
    if column is not None and parent is not None:
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == column.pk:
                raise ColumnError("栏目不能成为自己的下级。")
            ancestor = ancestor.parent
    section = values.get("owner_section")
    if section is not None and section.agency_id != agency.pk:
        raise ColumnError("责任科室必须属于本机关。")
    template = values.get("chain_template")
    if template is not None and (
        template.agency_id not in (None, agency.pk) or template.purpose != Item.signoff_purpose
    ):
        raise ColumnError("该审核流程不适用于本机关的公开信息。")
    name = values.get("name", column.name if column else "")
    if not name.strip() or any(not ch.isprintable() for ch in name):
        raise ColumnError("栏目名称不能为空，也不能包含控制字符。")
    siblings = Column.objects.filter(agency=agency, parent=parent, name=name.strip())
    if column is not None:
        siblings = siblings.exclude(pk=column.pk)
    if siblings.exists():
        raise ColumnError("同一上级栏目下已有同名栏目。")


def create_column(
    agency: Agency, *, actor: Any, name: str, kind: str, parent: Column | None = None, **values: Any
) -> Column:
    _require_admin(actor, agency)
    unknown = set(values) - set(COLUMN_FIELDS)
    if unknown:
        raise TypeError(f"create_column() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        _check_column(agency, {"parent": parent, "name": name, **values}, None)
        column = Column.objects.create(
            agency=agency, parent=parent, name=name.strip(), kind=kind, **values
        )
        record(
            action=actions.COLUMN_CREATED,
            actor=actor,
            obj=column,
            agency=agency,
            after={"name": column.name, "kind": kind, "parent": parent and parent.pk},
        )
    return column


def update_column(column: Column, *, actor: Any, **values: Any) -> Column:
    unknown = set(values) - {*COLUMN_FIELDS, "parent"}
    if unknown:
        raise TypeError(f"update_column() got unexpected fields: {sorted(unknown)}")
    _require_admin(actor, column.agency)
    with transaction.atomic():
        column = Column.objects.select_for_update().select_related("agency").get(pk=column.pk)
        _check_column(column.agency, values, column)
        before = {name: _plain(getattr(column, name)) for name in values}
        for name, value in values.items():
            setattr(column, name, value.strip() if isinstance(value, str) else value)
        if column.kind == ColumnKind.GROUP and column.items.exists():
            raise ColumnError("已有信息的栏目不能改为栏目组。")
        column.save(update_fields=list(values))
        record(
            action=actions.COLUMN_UPDATED,
            actor=actor,
            obj=column,
            agency=column.agency,
            before=before,
            after={name: _plain(getattr(column, name)) for name in values},
        )
    return column


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def update_settings(
    agency: Agency, *, actor: Any, index_format: str, sensitive_words: str
) -> AgencySettings:
    _require_admin(actor, agency)
    catalogue.check_format(index_format)
    with transaction.atomic():
        obj = settings_for(agency)
        obj = AgencySettings.objects.select_for_update().get(pk=obj.pk)
        before = {"index_format": obj.index_format, "words": len(obj.word_list())}
        obj.index_format = index_format
        obj.sensitive_words = sensitive_words
        obj.save(update_fields=["index_format", "sensitive_words"])
        # The word list is policy, not personal data, but only its size goes to the log.
        record(
            action=actions.SETTINGS_UPDATED,
            actor=actor,
            obj=agency,
            before=before,
            after={"index_format": index_format, "words": len(obj.word_list())},
        )
    return obj


# ---------------------------------------------------------------------------------------------
# items


def _check_item_values(agency: Agency, values: dict[str, Any]) -> None:
    column = values.get("column")
    if column is not None and (column.agency_id != agency.pk or not column.accepts_items):
        raise ColumnError("请选择本机关可以发布信息的栏目（栏目组下不能直接发布）。")
    target = values.get("interprets")
    if target is not None and target.agency_id != agency.pk:
        raise ColumnError("所解读的文件必须是本机关的信息。")
    for name in ("title", "issuing_body", "doc_number"):
        text = values.get(name)
        if text is not None and any(not ch.isprintable() for ch in text):
            raise BadAttachmentError(f"{Item._meta.get_field(name).verbose_name}不能包含控制字符。")
    if values.get("title") is not None and not values["title"].strip():
        raise ColumnError("标题不能为空。")


def _normalise(item: Item) -> None:
    item.body = sanitize_html(item.body)
    item.title = item.title.strip()
    if item.kind not in VALIDITY_KINDS:
        item.validity = ""
        item.effective_date = None
        item.validity_changed_on = None
    if not item.issuing_body:
        item.issuing_body = item.agency.name
    item.publish_deadline = publish_deadline_for(item.written_date)


PUBLISH_WINDOW_WORKING_DAYS = 20  # 条例第二十六条


def publish_deadline_for(written: date | None) -> date | None:
    if written is None:
        return None
    from gongkai.workdays.calendar import current_calendar  # noqa: PLC0415

    return current_calendar().add_working_days(written, PUBLISH_WINDOW_WORKING_DAYS)[0]


def create_item(
    *, actor: Any, column: Column, title: str, kind: str = ItemKind.ARTICLE, **values: Any
) -> Item:
    agency = column.agency
    _require_any_role(actor, agency, PUBLISH_ROLES, "只有起草人员或本单位管理员可以新建信息。")
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"create_item() got unexpected fields: {sorted(unknown)}")
    _check_item_values(agency, {"column": column, "title": title, **values})
    with transaction.atomic():
        fmt = settings_for(agency).index_format
        item = Item(agency=agency, column=column, kind=kind, title=title, created_by=actor)
        for name, value in values.items():
            setattr(item, name, value)
        _normalise(item)
        year = (item.written_date or timezone.localdate()).year
        item.index_number = catalogue.next_index_number(agency, year, fmt)
        item.save()
        revision = _sync_revision(item, actor)
        _rescan_body(item)
        record(
            action=actions.ITEM_CREATED,
            actor=actor,
            obj=item,
            agency=agency,
            after=_snapshot(item) | {"revision_hash": revision.revision_hash},
        )
        _note(item, actor)
    return item


def update_item(item: Item, *, actor: Any, **values: Any) -> Item:
    """Edit the working copy. Approved or published items go back to draft for a new review
    while the public keeps ``published_revision``; a scheduled publication is cancelled."""
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"update_item() got unexpected fields: {sorted(unknown)}")
    _require_any_role(actor, item.agency, PUBLISH_ROLES, "只有起草人员或本单位管理员可以修改信息。")
    with transaction.atomic():
        item = _lock(item)
        if item.status == ItemStatus.IN_REVIEW:
            raise ItemLockedError
        if item.status == ItemStatus.WITHDRAWN:
            raise IllegalItemTransitionError("已撤稿的信息不能再修改。")
        if actor is not None:
            check_may_edit(item, actor=actor)
        _check_item_values(item.agency, values)
        before = _snapshot(item) | {"revision_hash": item.signoff_revision()}
        before_column = item.column_id
        for name, value in values.items():
            setattr(item, name, value)
        _normalise(item)
        if item.signoff_revision() == before["revision_hash"]:
            return item  # nothing reviewers judge has changed
        _to_draft(item)
        item.save()
        revision = _sync_revision(item, actor)
        _rescan_body(item)
        if item.published_revision_id is not None and item.column_id != before_column:
            # The public keeps the published revision, but lists it under the new column.
            signals.public_changed.send(sender=Item, item=item)
        record(
            action=actions.ITEM_UPDATED,
            actor=actor,
            obj=item,
            agency=item.agency,
            before=before,
            after=_snapshot(item) | {"revision_hash": revision.revision_hash},
        )
        _note(item, actor)
    return item


def guide_column(agency: Agency) -> Column | None:
    """The agency's 政府信息公开指南 column (a root single page of the default tree)."""
    return Column.objects.filter(
        agency=agency, parent__isnull=True, name=GUIDE_COLUMN, active=True
    ).first()


def guide_facts(agency: Agency) -> guide.GuideFacts:
    """What the generated guide says, read off the agency and its active column tree."""
    columns = list(Column.objects.filter(agency=agency, active=True).order_by("position", "pk"))
    children: dict[int | None, list[str]] = {}
    for column in columns:
        children.setdefault(column.parent_id, []).append(column.name)
    roots = [(c.name, tuple(children.get(c.pk, ()))) for c in columns if c.parent_id is None]
    return guide.GuideFacts.from_agency(agency, roots)


def draft_guide(agency: Agency, *, actor: Any) -> Item:
    """Draft (or refresh) the guide item in the 指南 column from the agency's settings.

    The generated text becomes the working copy of the column's guide item — a new item the
    first time, the existing one afterwards (its published revision stays online until the
    refreshed text has been reviewed and published: 先审后发). Staff then edit it like any item.
    Refreshing an item that is in review is refused like any edit (ItemLockedError).
    """
    column = guide_column(agency)
    if column is None:
        raise ColumnError(f"本机关没有启用「{GUIDE_COLUMN}」栏目，请先在栏目设置中建立。")
    facts = guide_facts(agency)
    values = {"title": guide.guide_title(facts), "body": guide.guide_html(facts)}
    with transaction.atomic():
        existing = (
            Item.objects.filter(agency=agency, column=column)
            .exclude(status=ItemStatus.WITHDRAWN)
            .order_by("-pk")
            .first()
        )
        if existing is not None:
            return update_item(existing, actor=actor, **values)
        return create_item(
            actor=actor,
            column=column,
            subject="综合政务",
            written_date=timezone.localdate(),
            **values,
        )


def _note(item: Item, actor: Any) -> None:
    """Tell the sign-off engine who wrote this revision (its authors may not approve it)."""
    if actor is not None:
        note_revision(item, actor=actor)


def _to_draft(item: Item) -> None:
    if item.status != ItemStatus.DRAFT:
        _move(item, ItemStatus.DRAFT)
        item.scheduled_at = None
        item.scheduled_by = None


def _sync_revision(item: Item, actor: Any) -> ItemRevision:
    """Make ``current_revision`` hold the working copy: an unsubmitted one is updated in
    place, a submitted one is never touched (a new revision is created instead)."""
    digest = item.signoff_revision()
    current = item.current_revision
    if current is not None and current.revision_hash == digest:
        return current
    attachments = list(item.attachments.filter(removed_at__isnull=True))
    fields = {
        "revision_hash": digest,
        "title": item.title,
        "body": item.body,
        "metadata": item.metadata() | {"kind": item.kind, "column": item.column.name},
    }
    if current is not None and current.submitted_at is None:
        for name, value in fields.items():
            setattr(current, name, value)
        current.created_at = timezone.now()
        current.save(update_fields=[*fields, "created_at"])
        revision = current
    else:
        number = (item.revisions.order_by("-number").values_list("number", flat=True).first()) or 0
        revision = ItemRevision.objects.create(
            item=item,
            number=number + 1,
            created_by=actor or item.created_by,
            created_at=timezone.now(),
            **fields,
        )
    revision.attachments.set(attachments)
    if item.current_revision_id != revision.pk:
        item.current_revision = revision
        item.save(update_fields=["current_revision"])
    return revision


# ---------------------------------------------------------------------------------------------
# personal-data findings


def _fingerprint(item: Item, source: str, kind: str, masked: str, n: int) -> str:
    message = f"{item.pk}|{source}|{kind}|{masked}|{n}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _replace_findings(item: Item, source: str, hits: list[pii_scan.Hit]) -> None:
    """Replace the findings of one source, keeping acknowledgements of values still present."""
    existing = list(PiiFinding.objects.filter(item=item, source=source))
    acknowledged = {f.fingerprint: f for f in existing if f.acknowledged_at is not None}
    seen: dict[tuple[str, str], int] = {}
    keep: set[int] = set()
    new: list[PiiFinding] = []
    now = timezone.now()
    for hit in hits:
        n = seen[(hit.kind, hit.masked)] = seen.get((hit.kind, hit.masked), 0) + 1
        fingerprint = _fingerprint(item, source, hit.kind, hit.masked, n)
        old = acknowledged.get(fingerprint)
        if old is not None:
            keep.add(old.pk)
            if (old.line, old.column) != (hit.line, hit.column):
                old.line, old.column = hit.line, hit.column
                old.save(update_fields=["line", "column"])
            continue
        new.append(
            PiiFinding(
                item=item,
                source=source[:220],
                kind=hit.kind[:30],
                masked=hit.masked[:120],
                line=hit.line,
                column=hit.column,
                fingerprint=fingerprint,
                found_at=now,
            )
        )
    PiiFinding.objects.filter(item=item, source=source).exclude(pk__in=keep).delete()
    PiiFinding.objects.bulk_create(new)


def _words(item: Item) -> tuple[str, ...]:
    return settings_for(item.agency).word_list()


def _rescan_body(item: Item) -> None:
    text = "\n".join([item.title, html_to_text(item.body)])
    _replace_findings(
        item, BODY_SOURCE, pii_scan.scan_text(text, source=BODY_SOURCE, words=_words(item))
    )


def rescan_item(item: Item) -> int:
    """Scan body and every attachment again (after the word list changed); returns open count."""
    with transaction.atomic():
        item = _lock(item)
        _rescan_body(item)
        for attachment in item.attachments.filter(removed_at__isnull=True):
            with attachment.file.open("rb") as handle:
                data = handle.read()
            _replace_findings(
                item,
                attachment.original_name,
                pii_scan.scan_bytes(data, name=attachment.original_name, words=_words(item)),
            )
    return open_findings(item).count()


def open_findings(item: Item) -> Any:
    return PiiFinding.objects.filter(item=item, acknowledged_at__isnull=True)


def acknowledge_finding(finding: PiiFinding, *, actor: Any, reason: str) -> PiiFinding:
    """A reviewer states why a finding is not personal data to be removed (e.g. a published
    official's office number); the drafter cannot clear their own findings."""
    reason = (reason or "").strip()
    if not reason or any(not ch.isprintable() for ch in reason):
        raise ReasonRequiredError("确认检查结果必须填写理由（不能包含控制字符）。")
    item = finding.item
    _require_any_role(actor, item.agency, REVIEW_ROLES, "只有审核人员可以确认个人信息检查结果。")
    with transaction.atomic():
        _lock(item)
        finding = PiiFinding.objects.select_for_update().get(pk=finding.pk)
        if finding.acknowledged_at is not None:
            raise IllegalItemTransitionError("该检查结果已被确认。")
        finding.acknowledged_by = actor
        finding.acknowledged_at = timezone.now()
        finding.reason = reason[:500]
        finding.save(update_fields=["acknowledged_by", "acknowledged_at", "reason"])
        record(
            action=actions.FINDING_ACKNOWLEDGED,
            actor=actor,
            obj=item,
            agency=item.agency,
            after={
                "finding": finding.pk,
                "source": finding.source,
                "kind": finding.kind,
                "masked": finding.masked,
                "reason": finding.reason,
            },
        )
    return finding


# ---------------------------------------------------------------------------------------------
# attachments


def add_attachment(item: Item, *, actor: Any, name: str, data: bytes) -> Attachment:
    _require_any_role(actor, item.agency, PUBLISH_ROLES, "只有起草人员或本单位管理员可以上传附件。")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise BadAttachmentError(f"附件不能超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB。")
    if not data:
        raise BadAttachmentError("附件是空文件。")
    clean_name = "".join(ch for ch in (name or "") if ch.isprintable()).strip()[-200:] or "附件"
    try:
        file_type = detect_type(data)
    except FileTypeError as exc:
        raise BadAttachmentError(str(exc)) from exc
    try:
        hits = pii_scan.scan_bytes(data, name=clean_name, words=_words(item))
    except Exception as exc:  # a file we cannot read cannot be checked, so it is refused
        raise BadAttachmentError("附件无法读取（可能已损坏），不能检查其中的个人信息。") from exc
    with transaction.atomic():
        item = _lock(item)
        if item.status in (ItemStatus.IN_REVIEW, ItemStatus.WITHDRAWN):
            raise ItemLockedError
        if actor is not None:
            check_may_edit(item, actor=actor)
        attachment = Attachment(
            item=item,
            original_name=clean_name,
            file_type=file_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor or item.created_by,
        )
        attachment.file.save(clean_name, ContentFile(data), save=False)
        attachment.save()
        _replace_findings(item, clean_name, hits)
        _to_draft(item)
        item.save(update_fields=["status", "scheduled_at", "scheduled_by", "updated_at"])
        _sync_revision(item, actor)
        record(
            action=actions.ATTACHMENT_ADDED,
            actor=actor,
            obj=item,
            agency=item.agency,
            after={"attachment": attachment.pk, "name": clean_name, "type": file_type},
        )
        _note(item, actor)
    return attachment


def remove_attachment(attachment: Attachment, *, actor: Any) -> None:
    item = attachment.item
    _require_any_role(actor, item.agency, PUBLISH_ROLES, "只有起草人员或本单位管理员可以删除附件。")
    with transaction.atomic():
        item = _lock(item)
        if item.status in (ItemStatus.IN_REVIEW, ItemStatus.WITHDRAWN):
            raise ItemLockedError
        if actor is not None:
            check_may_edit(item, actor=actor)
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk, item=item)
        if attachment.removed_at is not None:
            return
        attachment.removed_at = timezone.now()
        attachment.save(update_fields=["removed_at"])
        PiiFinding.objects.filter(item=item, source=attachment.original_name).delete()
        _to_draft(item)
        item.save(update_fields=["status", "scheduled_at", "scheduled_by", "updated_at"])
        _sync_revision(item, actor)
        record(
            action=actions.ATTACHMENT_REMOVED,
            actor=actor,
            obj=item,
            agency=item.agency,
            after={"attachment": attachment.pk, "name": attachment.original_name},
        )
        _note(item, actor)


# ---------------------------------------------------------------------------------------------
# review


def submit_item(item: Item, *, actor: Any, revision_hash: str) -> Chain:
    """Freeze the working copy as a submitted revision and start (or resume) its review."""
    _require_writer(actor, item.agency)
    with transaction.atomic():
        item = _lock(item)
        if item.status != ItemStatus.DRAFT:
            raise IllegalItemTransitionError("只有草稿可以送审。")
        if item.signoff_revision() != revision_hash:
            from gongkai.signoff.errors import StaleRevisionError  # noqa: PLC0415

            raise StaleRevisionError
        if open_findings(item).exists():
            raise UnresolvedFindingsError
        revision = _sync_revision(item, actor)
        revision.submitted_at = timezone.now()
        revision.save(update_fields=["submitted_at"])
        before = _snapshot(item)
        _move(item, ItemStatus.IN_REVIEW)
        item.save(update_fields=["status", "updated_at"])
        chain = signoff.open_chain_for(item)
        if chain is not None and chain.status == ChainStatus.RETURNED:
            chain = signoff.resubmit(chain, actor=actor, revision_hash=revision_hash)
        else:
            chain = signoff.submit_for_review(
                item,
                actor=actor,
                revision_hash=revision_hash,
                template=item.column.chain_template,
            )
        record(
            action=actions.ITEM_SUBMITTED,
            actor=actor,
            obj=item,
            agency=item.agency,
            before=before,
            after=_snapshot(item) | {"chain": chain.pk, "revision_number": revision.number},
        )
    return chain


def recall_item(item: Item, *, actor: Any) -> Item:
    """The drafter pulls an item out of review (the chain is withdrawn) to edit it."""
    with transaction.atomic():
        item = _lock(item)
        if item.status != ItemStatus.IN_REVIEW:
            raise IllegalItemTransitionError
        _require_writer(actor, item.agency)
        chain = signoff.open_chain_for(item)
        # The chain may already be withdrawn from the generic chain page; the item follows.
        if chain is not None:
            signoff.withdraw(chain, actor=actor)
        before = _snapshot(item)
        _move(item, ItemStatus.DRAFT)
        item.save(update_fields=["status", "updated_at"])
        record(
            action=actions.ITEM_RETURNED,
            actor=actor,
            obj=item,
            agency=item.agency,
            before=before,
            after=_snapshot(item) | {"recalled": True},
        )
    return item


def chain_item(chain: Chain) -> Item | None:
    if chain.purpose != Item.signoff_purpose:
        return None
    return Item.objects.filter(pk=chain.object_id).first()


def _final_approver(chain: Chain) -> Any:
    """Who approved the last step of the chain's current round: the item's 签发人."""
    last = (
        chain.steps.filter(round=chain.round, decision=Decision.APPROVE)
        .order_by("-order")
        .select_related("decided_by")
        .first()
    )
    return last.decided_by if last else None


def on_chain_approved(chain: Chain) -> Item | None:
    """The last step approved: the revision the chain reviewed becomes the approved one."""
    item = chain_item(chain)
    if item is None:
        return None
    with transaction.atomic():
        item = _lock(item)
        if item.status != ItemStatus.IN_REVIEW:
            return item
        revision = (
            item.revisions.filter(revision_hash=chain.revision_hash).order_by("-number").first()
        )
        before = _snapshot(item)
        _move(item, ItemStatus.APPROVED)
        item.approved_revision = revision
        item.signer = _final_approver(chain)
        item.save(update_fields=["status", "approved_revision", "signer", "updated_at"])
        record(
            action=actions.ITEM_APPROVED,
            actor=None,
            obj=item,
            agency=item.agency,
            before=before,
            after=_snapshot(item) | {"signer": item.signer_id, "chain": chain.pk},
        )
    return item


def on_chain_returned(chain: Chain) -> Item | None:
    item = chain_item(chain)
    if item is None:
        return None
    with transaction.atomic():
        item = _lock(item)
        if item.status != ItemStatus.IN_REVIEW:
            return item
        before = _snapshot(item)
        _move(item, ItemStatus.DRAFT)
        item.save(update_fields=["status", "updated_at"])
        record(
            action=actions.ITEM_RETURNED,
            actor=None,
            obj=item,
            agency=item.agency,
            before=before,
            after=_snapshot(item) | {"chain": chain.pk},
        )
    return item


def confirm_schedule(item: Item, *, actor: Any) -> Item:
    """「已与接访领导确认日程」: binds to the exact current revision; any edit needs it again."""
    _require_writer(actor, item.agency)
    with transaction.atomic():
        item = _lock(item)
        if not item.needs_schedule_confirmation:
            raise IllegalItemTransitionError("只有领导接访日程需要确认日程。")
        if item.status == ItemStatus.WITHDRAWN:
            raise IllegalItemTransitionError
        revision = _sync_revision(item, actor)
        item.schedule_confirmed_revision = revision
        item.schedule_confirmed_by = actor
        item.save(update_fields=["schedule_confirmed_revision", "schedule_confirmed_by"])
        record(
            action=actions.SCHEDULE_CONFIRMED,
            actor=actor,
            obj=item,
            agency=item.agency,
            after={"revision": revision.pk, "revision_hash": revision.revision_hash},
        )
    return item


def schedule_is_confirmed(item: Item) -> bool:
    if not item.needs_schedule_confirmation:
        return True
    confirmed = item.schedule_confirmed_revision
    return confirmed is not None and confirmed.revision_hash == item.signoff_revision()


def _check_publishable(item: Item) -> None:
    approved = item.approved_revision
    if approved is None or approved.revision_hash != item.signoff_revision():
        raise RevisionNotApprovedError
    if not schedule_is_confirmed(item):
        raise ScheduleNotConfirmedError


def publish_item(item: Item, *, actor: Any, at: datetime | None = None) -> Item:
    """Publish the approved revision now, or schedule it for ``at`` (a future time)."""
    _require_any_role(actor, item.agency, PUBLISH_ROLES, "只有信息发布人员或本单位管理员可以发布。")
    now = timezone.now()
    with transaction.atomic():
        item = _lock(item)
        if item.status not in (ItemStatus.APPROVED, ItemStatus.SCHEDULED):
            raise IllegalItemTransitionError("只有审核通过的信息可以发布。")
        _check_publishable(item)
        before = _snapshot(item)
        if at is not None and at > now:
            _move_or_stay(item, ItemStatus.SCHEDULED)
            item.scheduled_at = at
            item.scheduled_by = actor
            item.save(update_fields=["status", "scheduled_at", "scheduled_by", "updated_at"])
            record(
                action=actions.ITEM_SCHEDULED,
                actor=actor,
                obj=item,
                agency=item.agency,
                before=before,
                after=_snapshot(item) | {"scheduled_at": at.isoformat()},
            )
            return item
        _publish(item, publisher=actor, now=now)
        record(
            action=actions.ITEM_PUBLISHED,
            actor=actor,
            obj=item,
            agency=item.agency,
            before=before,
            after=_snapshot(item) | {"publisher": actor and actor.pk, "signer": item.signer_id},
        )
    return item


def publish_approved_by(item: Item, *, actor: Any, chain: Chain) -> Item:
    """Publish a draft item whose content another sign-off chain approved.

    For an item that is the publication of an object signed off on its own (the annual report:
    公开办审核 → 分管领导签发): that chain is the release decision, so the item is not reviewed a
    second time in its column. The chain must be approved, of another purpose, of the item's
    agency, and still cover its object as it is now; the caller vouches that the item holds that
    object's approved text. The personal-data check still blocks; the item's working copy is
    frozen as an approved revision (the event names the chain that approved it and its signer)
    and published through ``_publish`` (same events and ``item_published`` signal).
    """
    _require_any_role(actor, item.agency, PUBLISH_ROLES, "只有信息发布人员或本单位管理员可以发布。")
    now = timezone.now()
    with transaction.atomic():
        item = _lock(item)
        chain = Chain.objects.select_for_update().get(pk=chain.pk)
        approved = chain.content_object
        if (
            chain.status != ChainStatus.APPROVED
            or chain.purpose == Item.signoff_purpose
            or chain.agency_id != item.agency_id
        ):
            raise RevisionNotApprovedError("该信息没有经过签发，不能直接发布。")
        if approved is None or approved.signoff_revision() != chain.revision_hash:
            raise RevisionNotApprovedError("签发之后内容又有修改，需要重新签发。")
        if item.status != ItemStatus.DRAFT or signoff.open_chain_for(item) is not None:
            raise IllegalItemTransitionError("只有未送审的草稿可以按已有的签发直接发布。")
        if open_findings(item).exists():
            raise UnresolvedFindingsError
        revision = _sync_revision(item, actor)
        revision.submitted_at = now
        revision.save(update_fields=["submitted_at"])
        before = _snapshot(item)
        _move(item, ItemStatus.IN_REVIEW)
        _move(item, ItemStatus.APPROVED)
        item.approved_revision = revision
        item.signer = _final_approver(chain)
        item.save(update_fields=["status", "approved_revision", "signer", "updated_at"])
        record(
            action=actions.ITEM_APPROVED,
            actor=actor,
            obj=item,
            agency=item.agency,
            before=before,
            after=_snapshot(item)
            | {
                "signer": item.signer_id,
                "chain": chain.pk,
                "chain_purpose": chain.purpose,
                "approved_by_chain": True,
            },
        )
        _check_publishable(item)
        approved_state = _snapshot(item)
        _publish(item, publisher=actor, now=now)
        record(
            action=actions.ITEM_PUBLISHED,
            actor=actor,
            obj=item,
            agency=item.agency,
            before=approved_state,
            after=_snapshot(item)
            | {"publisher": actor and actor.pk, "signer": item.signer_id, "chain": chain.pk},
        )
    return item


def _move_or_stay(item: Item, target: str) -> None:
    if item.status != target:
        _move(item, target)


def _publish(item: Item, *, publisher: Any, now: datetime) -> None:
    _move(item, ItemStatus.PUBLISHED)
    item.published_revision = item.approved_revision
    item.publisher = publisher
    item.published_at = now
    item.first_published_at = item.first_published_at or now
    item.scheduled_at = None
    item.save(
        update_fields=[
            "status",
            "published_revision",
            "publisher",
            "published_at",
            "first_published_at",
            "scheduled_at",
            "updated_at",
        ]
    )
    Column.objects.filter(pk=item.column_id).update(last_published_at=now)
    signals.public_changed.send(sender=Item, item=item)
    transaction.on_commit(lambda: signals.item_published.send(sender=Item, item=item))


def publish_due(*, now: datetime | None = None) -> list[int]:
    """Publish every scheduled item whose time has come; returns the pks this call published.

    Each row is claimed with a conditional UPDATE (status still ``scheduled``), so when two
    workers run this at once every item is published by exactly one of them.
    """
    now = now or timezone.now()
    published: list[int] = []
    due = Item.objects.filter(status=ItemStatus.SCHEDULED, scheduled_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due[:500]):
        with transaction.atomic():
            claimed = Item.objects.filter(
                pk=pk, status=ItemStatus.SCHEDULED, scheduled_at__lte=now
            ).update(status=ItemStatus.APPROVED)
            if not claimed:
                continue  # another worker got it
            item = _lock(Item(pk=pk))
            try:
                _check_publishable(item)
            except (RevisionNotApprovedError, ScheduleNotConfirmedError):
                # Only reachable if the item changed under the claim; it stays approved.
                continue
            before = _snapshot(item) | {"status": ItemStatus.SCHEDULED}
            _publish(item, publisher=item.scheduled_by, now=now)
            record(
                action=actions.ITEM_PUBLISHED,
                actor=None,
                obj=item,
                agency=item.agency,
                before=before,
                after=_snapshot(item)
                | {"publisher": item.publisher_id, "signer": item.signer_id, "scheduled": True},
            )
            published.append(pk)
    return published


def withdraw_item(item: Item, *, actor: Any, reason: str) -> Item:
    """撤稿: the item leaves the public for good; the reason is mandatory and logged."""
    reason = (reason or "").strip()
    if not reason or any(not ch.isprintable() for ch in reason):
        raise ReasonRequiredError("撤稿必须填写理由。")
    _require_any_role(actor, item.agency, (*PUBLISH_ROLES, Role.SIGNER), "您没有撤稿权限。")
    with transaction.atomic():
        item = _lock(item)
        if item.status == ItemStatus.IN_REVIEW:
            raise ItemLockedError("信息正在审核中，请先撤回送审。")
        if item.status == ItemStatus.DRAFT and item.published_revision_id is None:
            raise IllegalItemTransitionError("未发布过的草稿无需撤稿。")
        before = _snapshot(item)
        _move(item, ItemStatus.WITHDRAWN)
        item.withdrawn_at = timezone.now()
        item.withdrawn_reason = reason[:500]
        item.scheduled_at = None
        item.save(
            update_fields=[
                "status",
                "withdrawn_at",
                "withdrawn_reason",
                "scheduled_at",
                "updated_at",
            ]
        )
        signals.public_changed.send(sender=Item, item=item)
        record(
            action=actions.ITEM_WITHDRAWN,
            actor=actor,
            obj=item,
            agency=item.agency,
            before=before,
            after=_snapshot(item) | {"reason": item.withdrawn_reason},
        )
    return item


def reconcile_item(item: Item) -> Item:
    """Bring an item in review in line with its chain when a signal was missed (the receivers
    run after commit; a crash between the two commits must not strand the item)."""
    if item.status != ItemStatus.IN_REVIEW:
        return item
    from gongkai.signoff.selectors import chains_for  # noqa: PLC0415

    chain = chains_for(item).first()
    if chain is None:
        return item
    if chain.status == ChainStatus.APPROVED:
        return on_chain_approved(chain) or item
    if chain.status in (ChainStatus.RETURNED, ChainStatus.WITHDRAWN):
        return on_chain_returned(chain) or item
    return item


def warn_column_owners(*, today: date | None = None, warn_days: int = 7) -> int:
    """Daily: record a warning for each column going stale within ``warn_days`` (or stale)
    that was not warned today; the owners see it in their inbox. Returns the number warned."""
    from gongkai.disclosure import freshness  # noqa: PLC0415

    today = today or timezone.localdate()
    agencies = Agency.objects.filter(active=True).order_by("pk")
    warned = 0
    for agency in agencies.iterator(200):
        for state in freshness.columns_to_warn([agency], today=today, warn_days=warn_days).get(
            agency.pk, []
        ):
            with transaction.atomic():
                column = Column.objects.select_for_update().get(pk=state.pk)
                last = column.last_warned_at
                if last is not None and timezone.localtime(last).date() >= today:
                    continue  # already warned for this day
                column.last_warned_at = timezone.now()
                column.save(update_fields=["last_warned_at"])
                record(
                    action=actions.FRESHNESS_WARNED,
                    actor=None,
                    obj=column,
                    agency=agency,
                    after={
                        "state": state.state,
                        "due": state.due.isoformat() if state.due else None,
                        "owner_section": column.owner_section_id,
                    },
                )
                warned += 1
    return warned


def may_review(user: Any, agency: Agency) -> bool:
    """Whether the user holds a reviewing role (may acknowledge personal-data findings)."""
    if not can_write(user, agency):
        return False
    return bool(user.is_superuser) or any(has_role(user, agency, r) for r in REVIEW_ROLES)


# ---------------------------------------------------------------------------------------------
# channels


def _channel_state(item: Item, channel: str, status: str, remote_id: str, message: str) -> Any:
    from gongkai.disclosure.models import ChannelState  # noqa: PLC0415

    state, _ = ChannelState.objects.update_or_create(
        item=item,
        channel=channel,
        defaults={
            "status": status,
            "remote_id": remote_id[:200],
            "revision": item.published_revision,
            "message": message[:500],
        },
    )
    return state


def export_wechat(item: Item, *, actor: Any) -> Any:
    """The WeChat article of the published revision; the item records that it was exported."""
    from gongkai.disclosure import wechat  # noqa: PLC0415

    _require_any_role(actor, item.agency, PUBLISH_ROLES, "只有信息发布人员可以导出。")
    with transaction.atomic():
        item = _lock(item)
        article = wechat.export_article(item)
        _channel_state(item, "wechat", "exported", "", "")
        record(
            action=actions.CHANNEL_EXPORTED,
            actor=actor,
            obj=item,
            agency=item.agency,
            after={"channel": "wechat", "revision": item.published_revision_id},
        )
    return article


def publish_wechat(item: Item, *, actor: Any, client: Any = None) -> Any:
    """Create the draft and submit it for publication; failures are recorded, then raised."""
    from gongkai.disclosure import wechat  # noqa: PLC0415

    _require_any_role(actor, item.agency, PUBLISH_ROLES, "只有信息发布人员可以发布到微信公众号。")
    item = Item.objects.select_related("agency", "published_revision").get(pk=item.pk)
    article = wechat.export_article(item)
    try:
        client = client or wechat.WeChatClient.from_settings()
        media_id = client.add_draft(article)
        publish_id = client.publish(media_id)
    except wechat.WeChatError as error:
        with transaction.atomic():
            state = _channel_state(item, "wechat", "failed", "", error.message)
            record(
                action=actions.CHANNEL_PUBLISHED,
                actor=actor,
                obj=item,
                agency=item.agency,
                after={"channel": "wechat", "status": "failed", "message": error.message},
            )
        raise
    with transaction.atomic():
        state = _channel_state(item, "wechat", "published", f"{media_id}/{publish_id}", "")
        record(
            action=actions.CHANNEL_PUBLISHED,
            actor=actor,
            obj=item,
            agency=item.agency,
            after={"channel": "wechat", "media_id": media_id, "publish_id": publish_id},
        )
    return state
