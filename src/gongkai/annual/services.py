"""The verbs of the annual report. Each one: actor, lock the row, check the state, update the
fields, write the event in the same transaction (DESIGN.md house style)."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.agencies.access import can_write
from gongkai.annual import compute
from gongkai.annual.document import run_rules
from gongkai.annual.errors import (
    AnnualError,
    BlockingFindingsError,
    IllegalTransitionError,
    ImportReportError,
    NotEditableError,
    NotPermittedError,
    OverrideError,
)
from gongkai.annual.models import (
    EDITED_SECTIONS,
    AnnualReport,
    AnnualReportVersion,
    PublishState,
)
from gongkai.annual.states import EDITABLE, TRANSITIONS, ReportStatus
from gongkai.disclosure.errors import UnresolvedFindingsError
from gongkai.eventlog.services import record
from gongkai.law.report_format import FORMAT_2021
from gongkai.security.text import clean_text
from gongkai.signoff.errors import SignoffError

logger = logging.getLogger(__name__)

SECTION_MAX = 20_000
REASON_MAX = 500


def _require_writer(actor: Any, agency: Any) -> None:
    if actor is not None and not can_write(actor, agency):
        raise NotPermittedError


def supervises(user: Any, region: Any) -> bool:
    from gongkai.agencies.access import regions_supervised_by  # noqa: PLC0415

    return regions_supervised_by(user).filter(pk=region.pk).exists()


def may_write(user: Any, report: AnnualReport) -> bool:
    """Staff of the agency write its report; a combined report is written by the supervisors of
    its region (the supervising office), and nobody else."""
    if report.region_id is not None:
        return supervises(user, report.region)
    return can_write(user, report.agency)


def _require_may_write(actor: Any, report: AnnualReport) -> None:
    if actor is not None and not may_write(actor, report):
        raise NotPermittedError


def _lock(report: AnnualReport) -> AnnualReport:
    return (
        # only the report's row: PostgreSQL cannot lock the nullable side of the region join
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("agency__region", "region")
        .get(pk=report.pk)
    )


def _move(report: AnnualReport, target: str) -> None:
    if target not in TRANSITIONS[report.status]:
        raise IllegalTransitionError(
            f"年度报告处于“{report.get_status_display()}”状态，不能变为“{ReportStatus(target).label}”。"
        )
    report.status = target


def _snapshot(report: AnnualReport, actor: Any, action: str) -> None:
    report.version += 1
    AnnualReportVersion.objects.create(
        report=report,
        number=report.version,
        action=action,
        frozen_at=report.frozen_at,
        computed=report.computed,
        overrides=report.overrides,
        sections=report.sections,
        findings=report.findings,
        revision_hash=report.signoff_revision(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _after_edit(report: AnnualReport, actor: Any, action: str, fields: list[str]) -> None:
    if report.status == ReportStatus.APPROVED:
        _move(report, ReportStatus.DRAFT)  # the approval covered another text
        fields.append("status")
    report.findings = run_rules(report)
    _snapshot(report, actor, action)
    report.save(update_fields=[*fields, "findings", "version", "updated_at"])
    if getattr(actor, "is_authenticated", False):
        from gongkai.signoff.services import note_revision  # noqa: PLC0415

        note_revision(report, actor=actor)


def _freeze(report: AnnualReport, now: datetime) -> None:
    agency = report.agency
    if report.region_id is not None:
        agencies = list(compute.region_agencies(report.region))
        report.computed = compute.compute_tables(agencies, report.region, report.year)
        report.parts = compute.agency_parts(agencies, report.year)
    else:
        report.computed = compute.compute_tables([agency], agency, report.year)
    report.frozen_at = now
    # an override whose cell now counts the same is no longer an override
    report.overrides = {
        path: o
        for path, o in (report.overrides or {}).items()
        if _computed_value(report.computed, path) != o["value"]
    }


def _computed_value(computed: dict[str, Any], path: str) -> Any:
    table, row, col = path.split(".")
    return computed.get(table, {}).get(row, {}).get(col)


def prefilled_sections(
    agency: Any, year: int, computed: dict[str, Any], region: Any = None
) -> dict[str, str]:
    ids = [agency.pk] if region is None else [int(pk) for pk in compute.region_ids(region)]
    facts = compute.overview_facts(ids, year, computed["table3"])
    fees = compute.fee_facts(ids, year)
    return {
        "overview": compute.overview_text(facts, year),
        "problems": "",
        "other": compute.fees_text(fees, year),
    }


def generate_draft(
    *, actor: Any, agency: Any, year: int, now: datetime | None = None
) -> AnnualReport:
    """Create the year's draft (tables frozen now, 一/六 prefilled) or refreeze the draft."""
    _require_writer(actor, agency)
    now = now or timezone.now()
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update()
            .filter(agency=agency, year=year, region__isnull=True)
            .first()
        )
        if report is not None:
            return refreeze(report, actor=actor, now=now)
        report = AnnualReport(
            agency=agency,
            year=year,
            author=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _freeze(report, now)
        report.sections = prefilled_sections(agency, year, report.computed)
        report.findings = run_rules(report)
        report.save()
        _snapshot(report, actor, "generate")
        report.save(update_fields=["version"])
        record(action="annual.generated", actor=actor, obj=report, after={"year": year})
        if getattr(actor, "is_authenticated", False):
            from gongkai.signoff.services import note_revision  # noqa: PLC0415

            note_revision(report, actor=actor)
    return report


def office_choices(user: Any, region: Any) -> Any:
    """The agencies that may publish ``region``'s combined report for ``user``: the agencies of
    the region itself (not of a region below it) in which the user works. The supervising office
    (政务公开办) is one of them, usually within the 人民政府办公室."""
    from gongkai.agencies.models import Agency  # noqa: PLC0415

    agencies = Agency.objects.filter(region=region, active=True).order_by("pk")
    return [a for a in agencies if can_write(user, a)]


def generate_combined(
    *, actor: Any, region: Any, year: int, office: Any, now: datetime | None = None
) -> AnnualReport:
    """The combined report of ``region`` and every region below it for ``year`` (tables summed
    by the region queries, each agency's own figures frozen beside them), written and published
    by ``office``, an agency of that region the supervisor works in. On an existing draft it
    refreezes (the office stays as chosen first)."""
    if actor is not None and (
        not supervises(actor, region)
        or office.pk not in {a.pk for a in office_choices(actor, region)}
    ):
        raise NotPermittedError("只有本区域的督查人员、以其所在的本级机关名义，可以生成汇总报告。")
    now = now or timezone.now()
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().filter(region=region, year=year).first()
        if report is not None:
            return refreeze(report, actor=actor, now=now)
        report = AnnualReport(
            agency=office,
            region=region,
            year=year,
            author=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _freeze(report, now)
        report.sections = prefilled_sections(office, year, report.computed, region=region)
        report.findings = run_rules(report)
        report.save()
        _snapshot(report, actor, "generate")
        report.save(update_fields=["version"])
        record(
            action="annual.generated",
            actor=actor,
            obj=report,
            agency=office,
            after={"year": year, "region": region.pk, "agencies": len(report.parts)},
        )
        if getattr(actor, "is_authenticated", False):
            from gongkai.signoff.services import note_revision  # noqa: PLC0415

            note_revision(report, actor=actor)
    return report


def refreeze(report: AnnualReport, *, actor: Any, now: datetime | None = None) -> AnnualReport:
    """Count the tables again from the records as they are now (overrides are kept)."""
    _require_may_write(actor, report)
    now = now or timezone.now()
    with transaction.atomic():
        report = _lock(report)
        if report.status not in EDITABLE:
            raise NotEditableError
        before = report.frozen_at.isoformat() if report.frozen_at else None
        _freeze(report, now)
        _after_edit(report, actor, "refreeze", ["computed", "parts", "frozen_at", "overrides"])
        record(
            action="annual.refrozen",
            actor=actor,
            obj=report,
            before={"frozen_at": before},
            after={"frozen_at": now.isoformat()},
        )
    return report


def edit_section(report: AnnualReport, *, actor: Any, key: str, text: str) -> AnnualReport:
    if key not in EDITED_SECTIONS:
        raise IllegalTransitionError("只能编辑第一、五、六部分。")
    _require_may_write(actor, report)
    cleaned = clean_text(text or "", limit=SECTION_MAX)
    with transaction.atomic():
        report = _lock(report)
        if report.status not in EDITABLE:
            raise NotEditableError
        before = report.sections.get(key, "")
        if before == cleaned:
            return report
        report.sections = {**report.sections, key: cleaned}
        _after_edit(report, actor, f"edit_{key}", ["sections"])
        record(
            action="annual.section_edited",
            actor=actor,
            obj=report,
            before={key: len(before)},
            after={key: len(cleaned)},
        )
    return report


def _parse_value(path: str, raw: Any) -> int | float:
    table, _row, col = path.split(".")
    decimal = table == "table2" and col == "amount_wan_yuan"
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise OverrideError("修改后的数值应为数字。") from None
    if not value.is_finite() or value < 0 or value > 10**9:
        raise OverrideError("修改后的数值应为非负数。")
    if decimal:
        return float(value.quantize(Decimal("0.0001")))
    if value != value.to_integral_value():
        raise OverrideError("该单元格应为非负整数。")
    return int(value)


def _valid_path(path: str) -> bool:
    tables = FORMAT_2021.empty_tables()
    parts = path.split(".")
    return len(parts) == 3 and parts[2] in tables.get(parts[0], {}).get(parts[1], {})


def override_cell(
    report: AnnualReport, *, actor: Any, path: str, value: Any, reason: str
) -> AnnualReport:
    """Replace a computed cell; the written reason is shown to every reviewer."""
    if not _valid_path(path):
        raise OverrideError("没有这个单元格。")
    reason = clean_text(reason or "", limit=REASON_MAX)
    if not reason:
        raise OverrideError
    number = _parse_value(path, value)
    _require_may_write(actor, report)
    with transaction.atomic():
        report = _lock(report)
        if report.status not in EDITABLE:
            raise NotEditableError
        before = _computed_value(report.tables, path)
        report.overrides = {
            **report.overrides,
            path: {
                "value": number,
                "reason": reason,
                "by": getattr(actor, "label", None) or str(actor or "系统"),
                "at": timezone.now().isoformat(),
                "computed": _computed_value(report.computed, path),
            },
        }
        _after_edit(report, actor, "override", ["overrides"])
        record(
            action="annual.cell_overridden",
            actor=actor,
            obj=report,
            before={"cell": path, "value": before},
            after={"cell": path, "value": number, "reason": reason},
        )
    return report


def clear_override(report: AnnualReport, *, actor: Any, path: str) -> AnnualReport:
    _require_may_write(actor, report)
    with transaction.atomic():
        report = _lock(report)
        if report.status not in EDITABLE:
            raise NotEditableError
        if path not in report.overrides:
            return report
        report.overrides = {p: o for p, o in report.overrides.items() if p != path}
        _after_edit(report, actor, "clear_override", ["overrides"])
        record(action="annual.override_cleared", actor=actor, obj=report, after={"cell": path})
    return report


def submit(report: AnnualReport, *, actor: Any, revision_hash: str) -> Any:
    """Send the draft to sign-off (disclosure office → leader in charge). Error findings block."""
    from gongkai.signoff import services as signoff  # noqa: PLC0415

    _require_may_write(actor, report)
    with transaction.atomic():
        report = _lock(report)
        if report.error_findings:
            raise BlockingFindingsError(
                f"报告有{len(report.error_findings)}项错误级别的检查问题，修正后才能送审。"
            )
        _move(report, ReportStatus.IN_REVIEW)
        report.save(update_fields=["status", "updated_at"])
        chain = signoff.submit_for_review(report, actor=actor, revision_hash=revision_hash)
        record(action="annual.submitted", actor=actor, obj=report, after={"chain": chain.pk})
    return chain


def on_chain_approved(chain: Any) -> None:
    """The leader signed: the report is approved, and that approval is the publication decision —
    its publication to the 年报 column is queued at once, as the person who submitted it."""
    with transaction.atomic():
        report = _lock(AnnualReport(pk=chain.object_id))
        if report.status != ReportStatus.IN_REVIEW:
            return
        _move(report, ReportStatus.APPROVED)
        report.save(update_fields=["status", "updated_at"])
        record(action="annual.approved", actor=None, obj=report, after={"chain": chain.pk})
        _queue_publication(report, chain.submitted_by)


def on_chain_returned(chain: Any) -> None:
    with transaction.atomic():
        report = _lock(AnnualReport(pk=chain.object_id))
        if report.status != ReportStatus.IN_REVIEW:
            return
        _move(report, ReportStatus.DRAFT)
        report.save(update_fields=["status", "updated_at"])
        record(action="annual.returned", actor=None, obj=report, after={"chain": chain.pk})


def import_previous(*, actor: Any, agency: Any, year: int, name: str, data: bytes) -> AnnualReport:
    """Last year's published report, read by the auditor's parser, kept for rule Y1."""
    from gongkai.reportdoc.extract import ReportReadError  # noqa: PLC0415
    from gongkai.reportdoc.reader import extract_bytes, parse_checked  # noqa: PLC0415

    _require_writer(actor, agency)
    try:
        parsed = parse_checked(extract_bytes(data, name))
    except ReportReadError as exc:
        raise ImportReportError(str(exc)) from None
    payload = parsed.to_json()
    with transaction.atomic():
        existing = (
            AnnualReport.objects.select_for_update()
            .filter(agency=agency, year=year, region__isnull=True)
            .first()
        )
        if existing is not None and existing.status != ReportStatus.IMPORTED:
            raise IllegalTransitionError("平台上已有该年度的报告，不需要导入。")
        report = existing or AnnualReport(agency=agency, year=year)
        report.status = ReportStatus.IMPORTED
        report.computed = {k: payload[k] for k in ("format", "table2", "table3", "table4")}
        report.sections = payload["sections"]
        report.findings = payload["findings"]
        report.source_name = name[:200]
        report.save()
        record(action="annual.imported", actor=actor, obj=report, after={"year": year})
    return report


PUBLISH_STALE_AFTER = timedelta(minutes=15)  # a job whose worker died may be started again
PUBLISHED_FORMATS = ("pdf", "docx")
FINDINGS_REASON = (
    "年报栏目信息中检查发现疑似个人信息：请审核人员在该信息页面逐条确认，"
    "或修改报告后重新送审签发。"
)  # the item's attachments; its page is the HTML rendering


def _queue_publication(report: AnnualReport, actor: Any) -> None:
    """Inside the caller's transaction, on the locked report: mark it queued, enqueue on commit."""
    report.publish_state = PublishState.QUEUED
    report.publish_error = ""
    report.publish_requested_by = actor if getattr(actor, "is_authenticated", False) else None
    report.publish_started_at = None
    report.save(
        update_fields=[
            "publish_state",
            "publish_error",
            "publish_requested_by",
            "publish_started_at",
            "updated_at",
        ]
    )
    record(
        action="annual.publish_queued",
        actor=actor,
        obj=report,
        after={"by": getattr(actor, "pk", None)},
    )
    pk = report.pk
    transaction.on_commit(lambda: _enqueue(pk))


def _enqueue(pk: int) -> None:
    from gongkai.annual.tasks import publish  # noqa: PLC0415  (tasks import this module)

    publish.enqueue(pk)


def request_publication(report: AnnualReport, *, actor: Any) -> AnnualReport:
    """Publish (again) a signed report whose background publication failed or never ran."""
    from gongkai.signoff.services import current_approval  # noqa: PLC0415

    _require_may_write(actor, report)
    with transaction.atomic():
        report = _lock(report)
        if report.status != ReportStatus.APPROVED or current_approval(report) is None:
            raise IllegalTransitionError("只有已签发的年度报告可以公开。")
        stale = timezone.now() - PUBLISH_STALE_AFTER
        if report.publish_state == PublishState.QUEUED or (
            report.publish_state == PublishState.RUNNING
            and (report.publish_started_at or stale) > stale
        ):
            raise IllegalTransitionError("年度报告正在发布，请稍候刷新页面。")
        _queue_publication(report, actor)
    return report


def run_publication(pk: int) -> AnnualReport | None:
    """The background job: render the frozen report, put it into the 年报 column as one item
    (its page the HTML rendering, PDF and DOCX attached) and publish that item on the strength of
    the report's sign-off (``disclosure.publish_approved_by``).

    Claimed by a conditional UPDATE (queued → running), so a duplicate job does nothing; a job run
    again after a failure reuses the item and its attachments (same frozen report, same bytes).
    A refusal or crash is kept on the report with its reason, and the page offers a retry."""
    now = timezone.now()
    claimed = AnnualReport.objects.filter(pk=pk, publish_state=PublishState.QUEUED).update(
        publish_state=PublishState.RUNNING, publish_started_at=now, publish_error=""
    )
    if not claimed:
        return None
    report = AnnualReport.objects.select_related("agency", "publish_requested_by").get(pk=pk)
    try:
        item = _publish_now(report)
    except UnresolvedFindingsError:
        return _publication_failed(pk, FINDINGS_REASON)
    except (AnnualError, SignoffError) as exc:
        return _publication_failed(pk, str(exc))
    except Exception as exc:  # a crash is shown on the page, never lost in a worker log
        logger.exception("annual report %s: publication failed", pk)
        return _publication_failed(
            pk, f"发布失败（{type(exc).__name__}），请重试；仍失败请联系管理员。"
        )
    # the item_published signal has done this on commit already; here for a item published
    # before (a retry finding it public) — idempotent
    del item
    return sync_publication(AnnualReport.objects.get(pk=pk))


def _publish_now(report: AnnualReport) -> Any:
    from gongkai.annual import render  # noqa: PLC0415
    from gongkai.disclosure import services as disclosure  # noqa: PLC0415
    from gongkai.disclosure.states import ItemStatus  # noqa: PLC0415
    from gongkai.signoff.services import current_approval  # noqa: PLC0415

    chain = current_approval(report)
    if report.status != ReportStatus.APPROVED or chain is None:
        raise IllegalTransitionError("报告签发后又有修改，需要重新送审签发。")
    actor = report.publish_requested_by
    if actor is None:
        raise NotPermittedError("没有发布人：请由本机关信息发布人员点击“重新发布”。")
    # checked before the seconds of rendering (the disclosure verbs check them again)
    if not _annual_column(report.agency):
        raise IllegalTransitionError("本机关没有“政府信息公开年报”栏目。")
    if not _may_publish_items(actor, report.agency):
        raise NotPermittedError(
            f"发布人{actor.label}不是{report.agency.name}的信息起草人员或管理员，"
            "请由本机关信息发布人员点击“重新发布”。"
        )
    files = {fmt: render.render(report, fmt) for fmt in PUBLISHED_FORMATS}
    # the item's page shows its title; the report's own heading would repeat it
    body = re.sub(r"<h1>.*?</h1>\n?", "", render.report_html(report, standalone=False), count=1)
    item = _ensure_item(report, actor, body, files)
    if item.status != ItemStatus.PUBLISHED:
        disclosure.publish_approved_by(item, actor=actor, chain=chain)
    return item


def _may_publish_items(user: Any, agency: Any) -> bool:
    from gongkai.agencies.access import has_role  # noqa: PLC0415
    from gongkai.disclosure.services import PUBLISH_ROLES  # noqa: PLC0415

    if getattr(user, "is_superuser", False):
        return agency.active
    return can_write(user, agency) and any(has_role(user, agency, r) for r in PUBLISH_ROLES)


def _annual_column(agency: Any) -> Any:
    from gongkai.disclosure.models import Column  # noqa: PLC0415

    return Column.objects.filter(agency=agency, kind="annual_report").first()


def _ensure_item(report: AnnualReport, actor: Any, body: str, files: dict[str, bytes]) -> Any:
    """The report's 年报 item with exactly these renderings, made or brought up to date."""
    import hashlib  # noqa: PLC0415

    from gongkai.annual import render  # noqa: PLC0415
    from gongkai.disclosure import services as disclosure  # noqa: PLC0415
    from gongkai.disclosure.states import ItemStatus  # noqa: PLC0415

    with transaction.atomic():
        report = _lock(report)
        item = report.published_item
        if item is not None and item.status == ItemStatus.WITHDRAWN:
            item = None
        if item is not None and item.status == ItemStatus.PUBLISHED:
            return item
        if item is None:
            column = _annual_column(report.agency)
            if column is None:
                raise IllegalTransitionError("本机关没有“政府信息公开年报”栏目。")
            item = disclosure.create_item(
                actor=actor,
                column=column,
                title=report.signoff_title,
                body=body,
                written_date=timezone.localdate(),
            )
            report.published_item = item
            report.save(update_fields=["published_item", "updated_at"])
        else:
            item = disclosure.update_item(item, actor=actor, title=report.signoff_title, body=body)
        kept = {a.sha256: a for a in item.attachments.filter(removed_at__isnull=True)}
        wanted = {hashlib.sha256(data).hexdigest(): (fmt, data) for fmt, data in files.items()}
        for digest, attachment in kept.items():
            if digest not in wanted:
                disclosure.remove_attachment(attachment, actor=actor)
        for digest, (fmt, data) in wanted.items():
            if digest not in kept:
                disclosure.add_attachment(
                    item, actor=actor, name=render.filename(report, fmt), data=data
                )
        item.refresh_from_db()
    return item


def _publication_failed(pk: int, reason: str) -> AnnualReport:
    with transaction.atomic():
        report = _lock(AnnualReport(pk=pk))
        report.publish_state = PublishState.FAILED
        report.publish_error = reason[:500]
        report.save(update_fields=["publish_state", "publish_error", "updated_at"])
        record(action="annual.publish_failed", actor=None, obj=report, after={"reason": reason})
    return report


def sync_publication(report: AnnualReport) -> AnnualReport:
    """The report is published when its 年报 item first went public."""
    if report.status != ReportStatus.APPROVED or report.published_item_id is None:
        return report
    with transaction.atomic():
        report = _lock(report)
        item = report.published_item
        if report.status != ReportStatus.APPROVED or item is None or not item.first_published_at:
            return report
        _move(report, ReportStatus.PUBLISHED)
        report.published_at = item.first_published_at
        report.publish_state = PublishState.DONE
        report.publish_error = ""
        report.save(
            update_fields=["status", "published_at", "publish_state", "publish_error", "updated_at"]
        )
        record(
            action="annual.published",
            actor=None,
            obj=report,
            after={"item": item.pk, "published_at": report.published_at.isoformat()},
        )
        if report.region_id is None:  # a combined report is no agency's own report
            transaction.on_commit(lambda: _to_supervision(report, item))
    return report


def _to_supervision(report: AnnualReport, item: Any) -> None:
    """The published report joins its supervisors' board at once, audited like a collected one
    (docs/supervision.md), as the HTML page the public sees."""
    from gongkai.annual import render  # noqa: PLC0415
    from gongkai.supervision.services import collect_published  # noqa: PLC0415

    collect_published(
        actor=item.publisher or item.created_by,
        agency=report.agency,
        year=report.year,
        name=render.filename(report, "html"),
        data=render.render(report, "html"),
    )
