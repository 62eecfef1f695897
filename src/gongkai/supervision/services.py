"""The supervision verbs: receive files, read and audit them, assign, review, correct, notify.

Each verb takes the actor, locks its row, checks the state against the model's transition
table, saves with ``update_fields`` and records its event in the same transaction. Reading a
file is slow and happens outside any transaction (in the background task); only its result is
written under a lock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.agencies.models import Agency, Region
from gongkai.eventlog.services import record
from gongkai.reportdoc.extract import ReportReadError
from gongkai.reportdoc.reader import Limits, extract_bytes, parse_checked
from gongkai.reportdoc.serialize import report_to_json
from gongkai.supervision import actions, intake
from gongkai.supervision.access import can_supervise
from gongkai.supervision.auditing import (
    parse_value,
    refresh_deadline,
    rule_findings,
    sync_findings,
    valid_cells,
)
from gongkai.supervision.errors import SupervisionError
from gongkai.supervision.matching import match_report, region_agencies
from gongkai.supervision.models import (
    FILE_TRANSITIONS,
    FINDING_TRANSITIONS,
    NOTICE_STATES,
    NOTICE_TRANSITIONS,
    Batch,
    BatchSource,
    CellCorrection,
    FileStatus,
    Finding,
    FindingState,
    MatchState,
    Notice,
    NoticeState,
    ReportFile,
    ReportVersion,
)

REASON_MAX = 500


@dataclass
class UploadResult:
    batch: Batch | None
    received: list[ReportFile] = field(default_factory=list)
    duplicates: list[ReportFile] = field(default_factory=list)
    refused: list[intake.Refused] = field(default_factory=list)


def _require_supervisor(actor: Any, region: Region) -> None:
    if not can_supervise(actor, region):
        raise SupervisionError("您没有该区域的监督权限。")


def _clean_text(text: str, *, limit: int, what: str, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise SupervisionError(f"请填写{what}。")
    if len(text) > limit:
        raise SupervisionError(f"{what}不能超过 {limit} 个字。")
    if any(ord(c) < 32 and c not in "\n\r\t" for c in text):
        raise SupervisionError(f"{what}含有不可见的控制字符。")
    return text


def _advance(file: ReportFile, to: str) -> None:
    if to not in FILE_TRANSITIONS[file.status]:
        raise SupervisionError(f"文件状态为「{file.get_status_display()}」，不能变为该状态。")
    file.status = to


# --- receiving ---------------------------------------------------------------------------------


def receive_uploads(
    *,
    actor: Any,
    region: Region,
    uploads: list[tuple[str, bytes]],
    title: str = "",
    source: str = BatchSource.UPLOAD,
    source_url: str = "",
    batch: Batch | None = None,
) -> UploadResult:
    """Files (or ZIP archives of files) into a new batch; duplicates by hash are not re-added.

    Every new file is queued for reading and auditing once the transaction commits.
    """
    _require_supervisor(actor, region)
    title = _clean_text(title, limit=100, what="批次名称") or timezone.localtime().strftime(
        "%Y-%m-%d %H:%M 上传"
    )
    lim = intake.limits()
    candidates: list[intake.Candidate] = []
    result = UploadResult(batch=batch)
    for name, data in uploads:
        for item in intake.expand(name, data, lim):
            if isinstance(item, intake.Refused):
                result.refused.append(item)
            else:
                candidates.append(item)
    if len(candidates) > lim.max_files:
        raise SupervisionError(
            f"一次最多上传 {lim.max_files} 个文件，本次有 {len(candidates)} 个。"
        )
    with transaction.atomic():
        hashes = {hashlib.sha256(c.data).hexdigest(): c for c in candidates}
        known = {
            f.sha256: f for f in ReportFile.objects.filter(region=region, sha256__in=list(hashes))
        }
        fresh = [(h, c) for h, c in hashes.items() if h not in known]
        result.duplicates = list(known.values())
        if fresh and result.batch is None:
            result.batch = Batch.objects.create(
                region=region, title=title, source=source, created_by=actor
            )
            record(
                action=actions.BATCH_CREATE,
                actor=actor,
                obj=result.batch,
                after={"title": title, "files": len(fresh), "region": region.name},
            )
        for digest, candidate in fresh:
            try:
                with transaction.atomic():  # a savepoint: a concurrent upload of the same bytes
                    stored = _store_file(
                        actor, region, result.batch, candidate, digest, source_url=source_url
                    )
            except IntegrityError:
                result.duplicates.append(ReportFile.objects.get(region=region, sha256=digest))
                continue
            result.received.append(stored)
        pks = [f.pk for f in result.received]
        transaction.on_commit(lambda: enqueue_audit(pks))
    return result


def _store_file(
    actor: Any,
    region: Region,
    batch: Batch | None,
    candidate: intake.Candidate,
    digest: str,
    *,
    source_url: str = "",
    agency: Agency | None = None,
    year: int | None = None,
    notice: Notice | None = None,
) -> ReportFile:
    name = candidate.name[-255:]
    report_file = ReportFile(
        region=region,
        batch=batch,
        notice=notice,
        name=name,
        sha256=digest,
        size=len(candidate.data),
        kind=candidate.kind,
        source_url=source_url,
        uploaded_by=actor,
        agency=agency,
        year=year,
        match_state=MatchState.ASSIGNED if agency else MatchState.PENDING,
    )
    report_file.content.save(
        f"{digest[:16]}.{candidate.kind}", ContentFile(candidate.data), save=False
    )
    report_file.save()
    record(
        action=actions.FILE_RECEIVE,
        actor=actor,
        obj=report_file,
        agency=agency,
        after={"name": name, "sha256": digest, "size": len(candidate.data)},
    )
    return report_file


def collect_published(
    *, actor: Any, agency: Agency, year: int, name: str, data: bytes, source_url: str = ""
) -> ReportFile:
    """A report the platform itself published ([7]) joins supervision at once.

    Stored as a file of the agency's region, already assigned to the agency and year (nothing to
    match: the platform knows whose report it is), then read and audited in the background like
    an upload, so its supervisors see it on the board with the reports they collected. The same
    bytes twice are one file. ``actor`` is whoever published it (the file's 上传人)."""
    found = [c for c in intake.expand(name, data) if isinstance(c, intake.Candidate)]
    if len(found) != 1:
        raise SupervisionError(f"{name}：不是可以检查的年报文件。")
    digest = hashlib.sha256(data).hexdigest()
    region = agency.region
    with transaction.atomic():
        known = ReportFile.objects.filter(region=region, sha256=digest).first()
        if known is not None:
            return known
        try:
            with transaction.atomic():  # a savepoint: the same bytes published concurrently
                stored = _store_file(
                    actor, region, None, found[0], digest, source_url=source_url,
                    agency=agency, year=year,
                )  # fmt: skip
        except IntegrityError:
            return ReportFile.objects.get(region=region, sha256=digest)
        transaction.on_commit(lambda: enqueue_audit([stored.pk]))
    return stored


def enqueue_audit(file_pks: list[int]) -> None:
    """Read and audit the files in the background (see ``gongkai.supervision.tasks``)."""
    from gongkai.supervision.tasks import schedule_files  # noqa: PLC0415  (tasks import us)

    schedule_files(file_pks)


# --- fetching a published report --------------------------------------------------------------


def request_fetch(*, actor: Any, region: Region, url: str) -> Batch:
    """A batch for one address; the download happens in the background after commit."""
    from gongkai.supervision.fetch import FetchError, check_url  # noqa: PLC0415

    _require_supervisor(actor, region)
    url = _clean_text(url, limit=1000, what="网址", required=True)
    try:
        check_url(url)
    except FetchError as exc:
        raise SupervisionError(str(exc)) from None
    with transaction.atomic():
        batch = Batch.objects.create(
            region=region,
            title=f"网址抓取：{url}"[:100],
            source=BatchSource.URL,
            source_url=url,
            created_by=actor,
        )
        record(action=actions.FETCH_REQUEST, actor=actor, obj=batch, after={"url": url})
        transaction.on_commit(lambda: enqueue_fetch(batch.pk))
    return batch


def enqueue_fetch(batch_pk: int) -> None:
    from gongkai.supervision.tasks import schedule_fetch  # noqa: PLC0415

    schedule_fetch(batch_pk)


def fetch_batch(batch_pk: int) -> None:
    """Download the batch's address and receive it as an upload; a refusal is kept on the batch."""
    from gongkai.supervision.fetch import FetchError, fetch  # noqa: PLC0415

    batch = Batch.objects.select_related("region", "created_by").get(pk=batch_pk)
    if batch.files.exists() or batch.error:
        return  # done already
    try:
        fetched = fetch(batch.source_url)
    except FetchError as exc:
        Batch.objects.filter(pk=batch.pk).update(error=str(exc)[:500])
        return
    result = receive_uploads(
        actor=batch.created_by,
        region=batch.region,
        uploads=[(fetched.name, fetched.data)],
        source=BatchSource.URL,
        source_url=fetched.url,
        batch=batch,
    )
    if result.refused:
        Batch.objects.filter(pk=batch.pk).update(error=result.refused[0].reason[:500])
    elif result.duplicates and not result.received:
        Batch.objects.filter(pk=batch.pk).update(error="该网址的文件此前已收到（内容完全相同）。")


# --- reading and auditing (the background work) -----------------------------------------------


def process_file(file_pk: int) -> None:
    """Read, then audit: two commits, so the batch's progress shows what was read."""
    read_file(file_pk)
    audit_file(file_pk)


def read_file(file_pk: int) -> None:
    report_file = ReportFile.objects.select_related("region").filter(pk=file_pk).first()
    if report_file is None or report_file.status != FileStatus.QUEUED:
        return  # already done by another worker, or deleted
    try:
        with report_file.content.open("rb") as fh:
            data = fh.read()
        report = parse_checked(extract_bytes(data, report_file.name, limits=Limits()))
        parsed = report_to_json(report, with_provenance=True)
        error = ""
    except ReportReadError as exc:
        parsed, error = None, str(exc)
    except (OSError, ValueError) as exc:  # storage trouble, or bytes the reader chokes on
        parsed, error = None, f"{report_file.name}：无法读取（{exc}）"
    with transaction.atomic():
        report_file = ReportFile.objects.select_for_update().get(pk=file_pk)
        if report_file.status != FileStatus.QUEUED:
            return
        if parsed is None:
            _fail(report_file, error)
            return
        _advance(report_file, FileStatus.PARSED)
        report_file.read_agency = (parsed.get("agency") or "")[:200]
        fields = ["status", "read_agency"]
        if report_file.match_state != MatchState.ASSIGNED:
            match = match_report(
                parsed.get("agency"),
                parsed.get("year"),
                region_agencies(report_file.region),
                this_year=timezone.localdate().year,
            )
            report_file.agency = match.agency if match.state == MatchState.MATCHED else None
            report_file.year = match.year
            report_file.match_state = match.state
            report_file.match_note = match.note[:500]
            report_file.suggested_agency = (
                match.agency if match.state == MatchState.DOUBTFUL else None
            )
            fields += ["agency", "year", "match_state", "match_note", "suggested_agency"]
        report_file.save(update_fields=fields)
        ReportVersion.objects.create(
            file=report_file,
            agency=None,
            year=report_file.year,
            format=parsed.get("format") or "",
            report_json=parsed,
        )


def _fail(report_file: ReportFile, error: str) -> None:
    _advance(report_file, FileStatus.FAILED)
    report_file.error = error[:500]
    report_file.save(update_fields=["status", "error"])
    record(action=actions.FILE_FAIL, obj=report_file, after={"error": report_file.error})


def audit_file(file_pk: int) -> None:
    with transaction.atomic():
        report_file = ReportFile.objects.select_for_update().filter(pk=file_pk).first()
        if report_file is None or report_file.status != FileStatus.PARSED:
            return
        version = ReportVersion.objects.select_for_update().get(file=report_file)
        _advance(report_file, FileStatus.AUDITED)
        report_file.audited_at = timezone.now()
        report_file.save(update_fields=["status", "audited_at"])
        _place(version, report_file.agency, report_file.year)
        record(
            action=actions.FILE_AUDIT,
            obj=report_file,
            agency=report_file.agency,
            after={"errors": version.errors, "warnings": version.warnings},
        )


def _place(version: ReportVersion, agency: Agency | None, year: int | None) -> None:
    """File the version under its agency and year (the current one there), run the rules, and
    re-run next year's, whose Y1/Y2/C1 now have a predecessor."""
    old_current = None
    if agency is not None and year is not None:
        old_current = (
            ReportVersion.objects.select_for_update()
            .filter(agency=agency, year=year, is_current=True)
            .exclude(pk=version.pk)
            .first()
        )
        if old_current is not None:
            old_current.is_current = False
            old_current.save(update_fields=["is_current"])
    version.agency = agency
    version.year = year
    version.is_current = agency is not None and year is not None
    version.save(update_fields=["agency", "year", "is_current"])
    rerun(version)
    if version.is_current:
        following = (
            ReportVersion.objects.select_for_update()
            .filter(agency=agency, year=year + 1, is_current=True)
            .first()
        )
        if following is not None:
            rerun(following)


def _previous_of(version: ReportVersion) -> ReportVersion | None:
    if version.agency_id is None or version.year is None:
        return None
    return (
        ReportVersion.objects.filter(agency_id=version.agency_id, year=version.year - 1)
        .filter(is_current=True)
        .first()
    )


def rerun(version: ReportVersion) -> None:
    """The rules again on the version as corrected, paired with last year's current version."""
    previous = _previous_of(version)
    version.previous = previous
    if version.agency_id is not None:
        version.agency = Agency.objects.select_related("region").get(pk=version.agency_id)
    refresh_deadline(version)
    sync_findings(version, rule_findings(version, previous))
    version.save(
        update_fields=[
            "previous", "published", "deadline", "late", "errors", "warnings", "notices",
        ]
    )  # fmt: skip


# --- the queue of doubtful and unmatched files -------------------------------------------------


def assign_file(report_file: ReportFile, *, actor: Any, agency: Agency, year: int) -> ReportFile:
    """The supervisor says whose report it is and for which year; the rules re-run."""
    _require_supervisor(actor, report_file.region)
    if not Agency.objects.filter(
        pk=agency.pk, region__path__startswith=report_file.region.path
    ).exists():
        raise SupervisionError("只能指定本监督区域内的机关。")
    if not 2008 <= year <= timezone.localdate().year:
        raise SupervisionError("年度无效。")
    with transaction.atomic():
        report_file = ReportFile.objects.select_for_update().get(pk=report_file.pk)
        if report_file.status not in (FileStatus.PARSED, FileStatus.AUDITED):
            raise SupervisionError("该文件尚未读取完成或无法读取，不能指定机关。")
        before = {"agency": report_file.agency_id, "year": report_file.year}
        report_file.agency = agency
        report_file.year = year
        report_file.match_state = MatchState.ASSIGNED
        report_file.save(update_fields=["agency", "year", "match_state"])
        if report_file.status == FileStatus.AUDITED:
            version = ReportVersion.objects.select_for_update().get(file=report_file)
            _place(version, agency, year)
        record(
            action=actions.FILE_ASSIGN,
            actor=actor,
            obj=report_file,
            agency=agency,
            before=before,
            after={"agency": agency.pk, "year": year},
        )
    return report_file


# --- reviewing findings ------------------------------------------------------------------------

_REVIEW_ACTIONS = {
    FindingState.CONFIRMED: actions.FINDING_CONFIRM,
    FindingState.DISMISSED: actions.FINDING_DISMISS,
    FindingState.FOR_CORRECTION: actions.FINDING_FOR_CORRECTION,
    FindingState.OPEN: actions.FINDING_REOPEN,
}


def review_finding(finding: Finding, *, actor: Any, to: str, reason: str = "") -> Finding:
    """Confirm, dismiss (a reason is required), mark for the agency to correct, or reopen."""
    if to not in _REVIEW_ACTIONS:
        raise SupervisionError("未知的审阅操作。")
    _require_supervisor(actor, finding.version.file.region)
    reason = _clean_text(
        reason, limit=REASON_MAX, what="理由", required=to == FindingState.DISMISSED
    )
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if to not in FINDING_TRANSITIONS[finding.state]:
            raise SupervisionError(
                f"该问题当前为「{finding.get_state_display()}」，不能改为「{FindingState(to).label}」。"
            )
        before = {"state": finding.state, "reason": finding.reason}
        finding.state = to
        finding.reason = reason
        finding.reviewed_by = actor
        finding.reviewed_at = timezone.now()
        finding.save(update_fields=["state", "reason", "reviewed_by", "reviewed_at"])
        record(
            action=_REVIEW_ACTIONS[to],
            actor=actor,
            obj=finding,
            before=before,
            after={"state": to, "reason": reason, "rule": finding.rule},
        )
    return finding


def correct_cell(
    version: ReportVersion, *, actor: Any, cell: str, value: str, reason: str
) -> CellCorrection:
    """A person's reading of a misread cell, stored beside the parsed value; rules re-run."""
    _require_supervisor(actor, version.file.region)
    if cell not in valid_cells(version.format):
        raise SupervisionError("没有这个单元格。")
    reason = _clean_text(reason, limit=REASON_MAX, what="更正理由", required=True)
    try:
        number = parse_value(value, cell)
    except ValueError as exc:
        raise SupervisionError(str(exc)) from None
    stored: int | float | str = str(number) if isinstance(number, Decimal) else number
    with transaction.atomic():
        version = ReportVersion.objects.select_for_update().get(pk=version.pk)
        table, row, col = cell.split(".")
        parsed = (version.report_json.get(table) or {}).get(row, {}).get(col)
        correction = CellCorrection.objects.create(
            version=version,
            cell=cell,
            parsed_value=parsed,
            value=stored,
            reason=reason,
            created_by=actor,
        )
        rerun(version)
        record(
            action=actions.CELL_CORRECT,
            actor=actor,
            obj=version,
            before={"cell": cell, "value": parsed},
            after={"cell": cell, "value": stored, "reason": reason},
        )
    return correction


# --- rectification notices ---------------------------------------------------------------------


def send_notice(
    version: ReportVersion, *, actor: Any, requirement: str = "", due: date | None = None
) -> Notice:
    """A notice to the agency listing the version's confirmed and to-correct findings."""
    _require_supervisor(actor, version.file.region)
    requirement = _clean_text(requirement, limit=1000, what="整改要求")
    if version.agency_id is None or version.year is None:
        raise SupervisionError("请先指定该报告所属的机关和年度。")
    with transaction.atomic():
        version = (
            ReportVersion.objects.select_for_update().select_related("file").get(pk=version.pk)
        )
        findings = list(
            version.findings.filter(active=True, state__in=NOTICE_STATES).exclude(
                notices__state__in=[NoticeState.SENT, NoticeState.ANSWERED]
            )
        )
        if not findings:
            raise SupervisionError("没有已确认或要求整改、且尚未通知的问题。")
        notice = Notice.objects.create(
            region=version.file.region,
            agency_id=version.agency_id,
            year=version.year,
            version=version,
            requirement=requirement,
            due=due,
            created_by=actor,
        )
        notice.findings.set(findings)
        record(
            action=actions.NOTICE_SEND,
            actor=actor,
            obj=notice,
            after={"findings": [f.pk for f in findings], "due": due.isoformat() if due else None},
        )
        transaction.on_commit(lambda: _mail_notice(notice.pk))
    return notice


def _mail_notice(notice_pk: int) -> None:
    from gongkai.supervision.notify import mail_notice  # noqa: PLC0415

    mail_notice(notice_pk)


def answer_notice(
    notice: Notice,
    *,
    actor: Any,
    answer: str,
    upload: tuple[str, bytes] | None = None,
) -> Notice:
    """The agency's answer, with its corrected report if any (read and audited again)."""
    from gongkai.agencies.access import can_write  # noqa: PLC0415

    if not can_write(actor, notice.agency):
        raise SupervisionError("只有该机关的工作人员可以答复整改通知。")
    answer = _clean_text(answer, limit=2000, what="答复", required=True)
    candidate = None
    if upload is not None:
        items = intake.expand(*upload)
        if len(items) != 1:
            raise SupervisionError("请上传一个整改后的年报文件（不是压缩包）。")
        if isinstance(items[0], intake.Refused):
            raise SupervisionError(f"{items[0].name}：{items[0].reason}")
        candidate = items[0]
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if NoticeState.ANSWERED not in NOTICE_TRANSITIONS[notice.state]:
            raise SupervisionError("该整改通知已办结，不能再答复。")
        notice.state = NoticeState.ANSWERED
        notice.answer = answer
        notice.answered_by = actor
        notice.answered_at = timezone.now()
        notice.save(update_fields=["state", "answer", "answered_by", "answered_at"])
        pks: list[int] = []
        if candidate is not None:
            digest = hashlib.sha256(candidate.data).hexdigest()
            if ReportFile.objects.filter(region=notice.region, sha256=digest).exists():
                raise SupervisionError("上传的文件与已收到的报告完全相同，请上传整改后的报告。")
            try:
                with transaction.atomic():
                    new = _store_file(
                        actor, notice.region, None, candidate, digest,
                        agency=notice.agency, year=notice.year, notice=notice,
                    )  # fmt: skip
            except IntegrityError:
                raise SupervisionError("上传的文件与已收到的报告完全相同。") from None
            pks.append(new.pk)
        record(
            action=actions.NOTICE_ANSWER,
            actor=actor,
            obj=notice,
            after={"answer": answer, "corrected_files": pks},
        )
        transaction.on_commit(lambda: enqueue_audit(pks))
    return notice


def close_notice(notice: Notice, *, actor: Any) -> Notice:
    _require_supervisor(actor, notice.region)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if NoticeState.CLOSED not in NOTICE_TRANSITIONS[notice.state]:
            raise SupervisionError("该整改通知已办结。")
        before = notice.state
        notice.state = NoticeState.CLOSED
        notice.closed_at = timezone.now()
        notice.save(update_fields=["state", "closed_at"])
        record(
            action=actions.NOTICE_CLOSE,
            actor=actor,
            obj=notice,
            before={"state": before},
            after={"state": notice.state},
        )
    return notice
