"""Every workspace view × every persona → the expected status (and effect, for changes).

Objects of other agencies are 404; anonymous users are sent to the login page; a visible object
acted on without the right role is refused with a message (302) and left unchanged.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.cheap_pdf import FAKE_PDF, cheap_pdf

from gongkai.appeals.services import register_appeal
from gongkai.applications.models import AnswerDocument, LetterTemplate
from gongkai.applications.services import (
    add_answer_document,
    close_no_correction,
    decide,
    register_application,
    request_correction,
)
from gongkai.signoff import services
from gongkai.signoff.models import Chain, ChainTemplate
from gongkai.signoff.selectors import chains_for
from gongkai.workspace import urls

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "drafter",
    "reviewer",
    "signer",
    "confidentiality_officer",
    "handler",
    "agency_admin",
    "supervisor",
    "sysadmin",
    "outsider",
]
MEMBERS = ["drafter", "reviewer", "signer", "confidentiality_officer", "handler", "agency_admin"]


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Any  # (state) -> url
    expect: dict[str, int]
    data: Any = None  # (state) -> POST data
    changed: Any = None  # (state) -> bool, checked after the request
    changers: tuple[str, ...] = ()  # personas whose request must change state
    # in_review | application | letter | closed | appeal | supervision | annual | item_*
    setup: str = "in_review"


def _expect(default: int, **overrides: int) -> dict[str, int]:
    table = dict.fromkeys(PERSONAS, default)
    table["anonymous"] = 302
    table.update(overrides)
    return table


ANSWER_PDF = b"%PDF-1.4\n% disclosed\n"


def _answer_upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    return SimpleUploadedFile("a.pdf", ANSWER_PDF)


def _template_upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    from gongkai.applications.docx_templates import build_default  # noqa: PLC0415

    return SimpleUploadedFile("t.docx", build_default("extension"))


def step_status(state: dict[str, Any]) -> str:
    state["step"].refresh_from_db()
    return state["step"].status


def chain_status(state: dict[str, Any]) -> str:
    state["chain"].refresh_from_db()
    return state["chain"].status


CASES = [
    Case("inbox", "get", lambda s: reverse("workspace:inbox"), _expect(200)),
    Case("submissions", "get", lambda s: reverse("workspace:submissions"), _expect(200)),
    Case(
        "step_detail",
        "get",
        lambda s: reverse("workspace:step_detail", args=[s["step"].pk]),
        _expect(200, outsider=404),
    ),
    Case(
        "step_approve",
        "post",
        lambda s: reverse("workspace:step_approve", args=[s["step"].pk]),
        _expect(302, outsider=404),
        data=lambda s: {"revision_hash": s["chain"].revision_hash},
        changed=lambda s: step_status(s) == "approved",
        changers=("reviewer",),
    ),
    Case(
        "step_return",
        "post",
        lambda s: reverse("workspace:step_return", args=[s["step"].pk]),
        _expect(302, outsider=404),
        data=lambda s: {"comment": "请补充依据"},
        changed=lambda s: step_status(s) == "returned",
        changers=("reviewer",),
    ),
    Case(
        "step_delegate",
        "post",
        lambda s: reverse("workspace:step_delegate", args=[s["step"].pk]),
        _expect(302, outsider=404),
        data=lambda s: {"deputy": s["deputy"].pk, "reason": "休假"},
        changed=lambda s: (
            s["step"].__class__.objects.get(pk=s["step"].pk).delegated_to_id is not None
        ),
        changers=("reviewer",),
    ),
    Case(
        "chain_open",
        "get",
        lambda s: reverse("workspace:chain_open", args=[s["chain"].pk]),
        _expect(302, outsider=404),
    ),
    # 依申请公开
    Case(
        "application_list",
        "get",
        lambda s: reverse("workspace:application_list") + "?queue=mine",
        _expect(200),
        setup="application",
    ),
    Case(
        "application_create",
        "get",
        lambda s: reverse("workspace:application_create"),
        _expect(404, handler=200, agency_admin=200),
    ),
    Case(
        "application_import",
        "get",
        lambda s: reverse("workspace:application_import"),
        _expect(404, handler=200, agency_admin=200),
    ),
    # disclosed documents and online delivery of a decided answer
    Case(
        "application_document_add",
        "post",
        lambda s: reverse("workspace:application_document_add", args=[s["application"].pk]),
        _expect(302, outsider=404),
        data=lambda s: {"file": _answer_upload()},
        changed=lambda s: AnswerDocument.objects.exists(),
        changers=("handler", "agency_admin", "sysadmin"),
        setup="letter",
    ),
    Case(
        "answer_document_remove",
        "post",
        lambda s: reverse("workspace:answer_document_remove", args=[s["document"].pk]),
        _expect(302, outsider=404),
        changed=lambda s: not AnswerDocument.objects.exists(),
        changers=("handler", "agency_admin", "sysadmin"),
        setup="answer_document",
    ),
    Case(
        # the answer letter is not signed here: handlers are refused with the reason (302)
        "application_deliver_online",
        "post",
        lambda s: reverse("workspace:application_deliver_online", args=[s["application"].pk]),
        _expect(302, outsider=404),
        changed=lambda s: s["application"].online_deliveries.exists(),
        setup="letter",
    ),
    # 告知书模板 (agency administrators only)
    Case(
        "letter_templates",
        "get",
        lambda s: reverse("workspace:letter_templates"),
        _expect(404, agency_admin=200),
        setup="application",
    ),
    Case(
        "letter_template_download",
        "get",
        lambda s: reverse("workspace:letter_template_download", args=["extension"]),
        _expect(404, agency_admin=200),
        setup="application",
    ),
    Case(
        "letter_template_upload",
        "post",
        lambda s: reverse("workspace:letter_template_upload", args=["extension"]),
        _expect(404, agency_admin=302),
        data=lambda s: {"file": _template_upload()},
        changed=lambda s: LetterTemplate.objects.filter(key="extension").exists(),
        changers=("agency_admin",),
        setup="application",
    ),
    Case(
        "letter_template_revert",
        "post",
        lambda s: reverse("workspace:letter_template_revert", args=["extension"]),
        _expect(404, agency_admin=302),
        setup="application",
    ),
    Case(
        "application_stats",
        "get",
        lambda s: reverse("workspace:application_stats") + "?year=2026",
        _expect(200, supervisor=404, sysadmin=404),
        setup="application",
    ),
    Case(
        "application_detail",
        "get",
        lambda s: reverse("workspace:application_detail", args=[s["application"].pk]),
        _expect(200, outsider=404),
        setup="application",
    ),
    Case(
        "application_act",
        "post",
        lambda s: reverse(
            "workspace:application_act", args=[s["application"].pk, "request_correction"]
        ),
        _expect(302, outsider=404),
        data=lambda s: {
            "request_correction-sent_on": s["today"].isoformat(),
            "request_correction-reply_by": (s["today"] + timedelta(days=15)).isoformat(),
            "request_correction-note": "请明确时间范围",
        },
        changed=lambda s: application_status(s) == "awaiting_correction",
        changers=("handler", "agency_admin", "sysadmin"),
        setup="application",
    ),
    # 行政复议、行政诉讼登记簿
    Case(
        "appeal_list",
        "get",
        lambda s: reverse("workspace:appeal_list") + "?year=2026",
        _expect(200, supervisor=404, sysadmin=404),
        setup="appeal",
    ),
    Case(
        "appeal_create",
        "get",
        lambda s: reverse("workspace:appeal_create"),
        _expect(404, handler=200, agency_admin=200),
    ),
    Case(
        "appeal_detail",
        "get",
        lambda s: reverse("workspace:appeal_detail", args=[s["appeal"].pk]),
        _expect(200, outsider=404),
        setup="appeal",
    ),
    Case(
        "appeal_act",
        "post",
        lambda s: reverse("workspace:appeal_act", args=[s["appeal"].pk, "record_deadlines"]),
        _expect(302, outsider=404),
        data=lambda s: {"record_deadlines-answer_due_on": s["today"].isoformat()},
        changed=lambda s: appeal_answer_due(s) is not None,
        changers=("handler", "agency_admin", "sysadmin"),
        setup="appeal",
    ),
    Case(
        "letter_submit",
        "post",
        lambda s: reverse("workspace:letter_submit", args=[s["letter"].pk]),
        _expect(302, outsider=404),
        data=lambda s: {"revision_hash": s["letter"].signoff_revision()},
        changed=lambda s: Chain.objects.filter(
            purpose="notice_letter", object_id=s["letter"].pk
        ).exists(),
        changers=("handler", "agency_admin", "sysadmin"),
        setup="letter",
    ),
    Case(
        "letter_edit",
        "get",
        lambda s: reverse("workspace:letter_edit", args=[s["letter"].pk]),
        _expect(302, handler=200, agency_admin=200, sysadmin=200, outsider=404),
        setup="letter",
    ),
    Case(
        "letter_edit",
        "post",
        lambda s: reverse("workspace:letter_edit", args=[s["letter"].pk]),
        # only the drafter (the handler) may edit; other handlers see the refusal in the form
        _expect(302, agency_admin=200, sysadmin=200, outsider=404),
        data=lambda s: {"title": "修改后的告知书", "body": "修改后的正文。"},
        changed=lambda s: (
            s["letter"].__class__.objects.get(pk=s["letter"].pk).title == "修改后的告知书"
        ),
        changers=("handler",),
        setup="letter",
    ),
    Case(
        "letter_file",
        "get",
        lambda s: reverse("workspace:letter_file", args=[s["letter"].pk, "docx"]),
        _expect(200, outsider=404),
        setup="letter",
    ),
    Case(
        "application_archive",
        "get",
        lambda s: reverse("workspace:application_archive", args=[s["application"].pk]),
        _expect(302, handler=200, agency_admin=200, sysadmin=200, outsider=404),
        setup="closed",
    ),
    Case(
        "application_identity_proof",
        "get",
        lambda s: reverse("workspace:application_identity_proof", args=[s["application"].pk]),
        _expect(302, handler=200, agency_admin=200, sysadmin=200, outsider=404),
        setup="online",
    ),
    Case(
        "application_take",
        "post",
        lambda s: reverse("workspace:application_take", args=[s["application"].pk]),
        _expect(302, outsider=404),
        changed=lambda s: application_handler(s) is not None,
        changers=("handler", "agency_admin", "sysadmin"),
        setup="online",
    ),
    Case(
        "switch_agency",
        "post",
        lambda s: reverse("workspace:switch_agency"),
        _expect(302, supervisor=404, sysadmin=404, outsider=404),
        data=lambda s: {"agency": s["item"].agency_id},
    ),
]


# --- supervision (年报监督): supervisor of 示范市 and sysadmin collect and review; the petition
# bureau's members see their own report and notices; everyone else gets 404.
SUPERVISORS = ("supervisor", "sysadmin")
_SUP_ONLY = {p: 404 for p in PERSONAS if p not in (*SUPERVISORS, "anonymous")}
_OWN_AGENCY = {"outsider": 404}


def _notice_state(state: dict[str, Any]) -> str:
    state["notice"].refresh_from_db()
    return state["notice"].state


CASES += [
    Case(f"supervision_{name}", "get", url, _expect(200, **_SUP_ONLY), setup="supervision")
    for name, url in (
        ("board", lambda s: reverse("workspace:supervision_board")),
        ("export", lambda s: reverse("workspace:supervision_export")),
        ("batches", lambda s: reverse("workspace:supervision_batches")),
        ("batch", lambda s: reverse("workspace:supervision_batch", args=[s["batch"].pk])),
        ("progress", lambda s: reverse("workspace:supervision_progress", args=[s["batch"].pk])),
        ("queue", lambda s: reverse("workspace:supervision_queue")),
    )
] + [
    Case(
        "supervision_assign",
        "post",
        lambda s: reverse("workspace:supervision_assign", args=[s["version"].file_id]),
        _expect(302, **_SUP_ONLY),
        data=lambda s: {"agency": s["other_agency"].pk, "year": 2023},
        changed=lambda s: (
            s["version"].file.__class__.objects.get(pk=s["version"].file_id).agency_id
            == s["other_agency"].pk
        ),
        changers=SUPERVISORS,
        setup="supervision",
    ),
    Case(
        "supervision_fetch",
        "post",
        lambda s: reverse("workspace:supervision_fetch"),
        _expect(302, **_SUP_ONLY),
        # refused at once (not http/https): nothing is created, for anyone
        data=lambda s: {"url": "ftp://example.gov.cn/a.pdf"},
        changed=lambda s: s["batch"].__class__.objects.count() != 1,
        setup="supervision",
    ),
    Case(
        "supervision_report",
        "get",
        lambda s: reverse("workspace:supervision_report", args=[s["version"].pk]),
        _expect(200, **_OWN_AGENCY),
        setup="supervision",
    ),
    Case(
        "supervision_file",
        "get",
        lambda s: reverse("workspace:supervision_file", args=[s["version"].pk]),
        _expect(200, **_OWN_AGENCY),
        setup="supervision",
    ),
    Case(
        "supervision_correct",
        "post",
        lambda s: reverse("workspace:supervision_correct", args=[s["version"].pk]),
        _expect(302, **_SUP_ONLY),
        data=lambda s: {"cell": "table3.granted.total", "value": "7", "reason": "人工核对"},
        changed=lambda s: s["version"].corrections.exists(),
        changers=SUPERVISORS,
        setup="supervision",
    ),
    Case(
        "supervision_review",
        "post",
        lambda s: reverse("workspace:supervision_review", args=[s["open_finding"].pk]),
        _expect(302, **_SUP_ONLY),
        data=lambda s: {"to": "dismissed", "reason": "原件如此"},
        changed=lambda s: (
            s["open_finding"].__class__.objects.get(pk=s["open_finding"].pk).state == "dismissed"
        ),
        changers=SUPERVISORS,
        setup="supervision",
    ),
    Case(
        "supervision_notice_create",
        "post",
        lambda s: reverse("workspace:supervision_notice_create", args=[s["version"].pk]),
        _expect(302, **_SUP_ONLY),
        changed=lambda s: s["notice"].__class__.objects.count() == 2,
        changers=SUPERVISORS,
        setup="supervision",
    ),
    Case(
        "supervision_notices",
        "get",
        lambda s: reverse("workspace:supervision_notices"),
        _expect(200),
        setup="supervision",
    ),
    Case(
        "supervision_notice",
        "get",
        lambda s: reverse("workspace:supervision_notice", args=[s["notice"].pk]),
        _expect(200, **_OWN_AGENCY),
        setup="supervision",
    ),
    Case(
        "supervision_notice_docx",
        "get",
        lambda s: reverse("workspace:supervision_notice_docx", args=[s["notice"].pk]),
        _expect(200, **_OWN_AGENCY),
        setup="supervision",
    ),
    Case(
        "supervision_notice_pdf",
        "get",
        lambda s: reverse("workspace:supervision_notice_pdf", args=[s["notice"].pk]),
        _expect(200, **_OWN_AGENCY),
        setup="supervision",
    ),
    Case(
        "supervision_notice_answer",
        "post",
        lambda s: reverse("workspace:supervision_notice_answer", args=[s["notice"].pk]),
        _expect(302, **_OWN_AGENCY),
        data=lambda s: {"answer": "已整改"},
        changed=lambda s: _notice_state(s) == "answered",
        changers=(*MEMBERS, "sysadmin"),
        setup="supervision",
    ),
    Case(
        "supervision_notice_close",
        "post",
        lambda s: reverse("workspace:supervision_notice_close", args=[s["notice"].pk]),
        _expect(302, **_OWN_AGENCY),
        changed=lambda s: _notice_state(s) == "closed",
        changers=SUPERVISORS,
        setup="supervision",
    ),
]


# --- 主动公开 (gongkai.disclosure) --------------------------------------------------------------


def item_status(state: dict[str, Any]) -> str:
    state["item"].refresh_from_db()
    return state["item"].status


def _d(name: str, method: str, url: Any, expect: dict[str, int], **kwargs: Any) -> Case:
    return Case(name, method, url, expect, setup=kwargs.pop("setup", "item_draft"), **kwargs)


_ITEM = lambda s: [s["item"].pk]  # noqa: E731
_WRITERS = (*MEMBERS, "sysadmin")
_PUBLISHERS = ("drafter", "agency_admin", "sysadmin")
_OWN_AGENCY = {"supervisor": 404, "sysadmin": 404}  # no current agency to work in


def guide_drafted(agency: Any) -> bool:
    from gongkai.disclosure.models import Item  # noqa: PLC0415

    return Item.objects.filter(agency=agency, column__name="政府信息公开指南").exists()


def register_entered(agency: Any) -> bool:
    from gongkai.disclosure.models import RegisterYear  # noqa: PLC0415

    return RegisterYear.objects.filter(agency=agency, year=2025, licensing_decisions=3).exists()


def item_confirmed(state: dict[str, Any]) -> bool:
    state["item"].refresh_from_db()
    return state["item"].schedule_confirmed_revision_id is not None


CASES += [
    _d(
        "disclosure_items",
        "get",
        lambda s: reverse("workspace:disclosure_items"),
        _expect(200, **_OWN_AGENCY),
    ),
    _d(
        "disclosure_item_create",
        "get",
        lambda s: reverse("workspace:disclosure_item_create"),
        _expect(200, **_OWN_AGENCY),
    ),
    _d(
        "disclosure_item",
        "get",
        lambda s: reverse("workspace:disclosure_item", args=_ITEM(s)),
        _expect(200, outsider=404),
    ),
    _d(
        "disclosure_item_edit",
        "get",
        lambda s: reverse("workspace:disclosure_item_edit", args=_ITEM(s)),
        _expect(200, supervisor=404, outsider=404),
    ),
    _d(
        "disclosure_item_submit",
        "post",
        lambda s: reverse("workspace:disclosure_item_submit", args=_ITEM(s)),
        _expect(302, supervisor=404, outsider=404),
        data=lambda s: {"revision_hash": s["item"].signoff_revision()},
        changed=lambda s: item_status(s) == "in_review",
        changers=_WRITERS,
        setup="item_clean",
    ),
    _d(
        "disclosure_item_recall",
        "post",
        lambda s: reverse("workspace:disclosure_item_recall", args=_ITEM(s)),
        _expect(302, supervisor=404, outsider=404),
        changed=lambda s: item_status(s) == "draft",
        changers=("drafter", "agency_admin"),
        setup="item_in_review",
    ),
    _d(
        "disclosure_item_confirm_schedule",
        "post",
        lambda s: reverse("workspace:disclosure_item_confirm_schedule", args=_ITEM(s)),
        _expect(302, supervisor=404, outsider=404),
        changed=item_confirmed,
        changers=_WRITERS,
        setup="item_schedule",
    ),
    _d(
        "disclosure_item_publish",
        "post",
        lambda s: reverse("workspace:disclosure_item_publish", args=_ITEM(s)),
        _expect(302, supervisor=404, outsider=404),
        changed=lambda s: item_status(s) == "published",
        changers=_PUBLISHERS,
        setup="item_approved",
    ),
    _d(
        "disclosure_item_withdraw",
        "post",
        lambda s: reverse("workspace:disclosure_item_withdraw", args=_ITEM(s)),
        _expect(302, supervisor=404, outsider=404),
        data=lambda s: {"reason": "内容已过期"},
        changed=lambda s: item_status(s) == "withdrawn",
        changers=(*_PUBLISHERS, "signer"),
        setup="item_approved",
    ),
    _d(
        "disclosure_attachment_upload",
        "post",
        lambda s: reverse("workspace:disclosure_attachment_upload", args=_ITEM(s)),
        _expect(302, supervisor=404, outsider=404),
        data=lambda s: {"file": _png_upload()},
        changed=lambda s: s["item"].attachments.count() == 2,
        changers=("drafter",),  # only the author (or a named editor) edits an item
    ),
    _d(
        "disclosure_attachment",
        "get",
        lambda s: reverse("workspace:disclosure_attachment", args=[s["attachment"].pk]),
        _expect(200, outsider=404),
    ),
    _d(
        "disclosure_attachment_remove",
        "post",
        lambda s: reverse("workspace:disclosure_attachment_remove", args=[s["attachment"].pk]),
        _expect(302, supervisor=404, outsider=404),
        changed=lambda s: s["item"].attachments.filter(removed_at__isnull=False).exists(),
        changers=("drafter",),
    ),
    _d(
        "disclosure_finding_acknowledge",
        "post",
        lambda s: reverse("workspace:disclosure_finding_acknowledge", args=[s["finding"].pk]),
        _expect(302, outsider=404),
        data=lambda s: {"reason": "单位公开的值班电话"},
        changed=lambda s: (
            s["finding"].__class__.objects.get(pk=s["finding"].pk).acknowledged_at is not None
        ),
        changers=("reviewer", "signer", "confidentiality_officer", "agency_admin", "sysadmin"),
    ),
    _d(
        "disclosure_register_docx",
        "get",
        lambda s: reverse("workspace:disclosure_register_docx", args=_ITEM(s)),
        _expect(200, outsider=404),
    ),
    _d(
        "disclosure_register_pdf",
        "get",
        lambda s: reverse("workspace:disclosure_register_pdf", args=_ITEM(s)),
        _expect(200, outsider=404),
    ),
    _d(
        "disclosure_register_zip",
        "get",
        lambda s: reverse("workspace:disclosure_register_zip"),
        _expect(200, **_OWN_AGENCY),
    ),
    _d(
        "disclosure_columns",
        "get",
        lambda s: reverse("workspace:disclosure_columns"),
        _expect(200, **_OWN_AGENCY),
    ),
    _d(
        "disclosure_column_create",
        "get",
        lambda s: reverse("workspace:disclosure_column_create"),
        _expect(404, agency_admin=200),
    ),
    _d(
        "disclosure_column_edit",
        "get",
        lambda s: reverse("workspace:disclosure_column_edit", args=[s["column"].pk]),
        _expect(404, agency_admin=200, sysadmin=200),
    ),
    _d(
        "disclosure_register",
        "post",
        lambda s: reverse("workspace:disclosure_register") + "?year=2025",
        _expect(302, **_OWN_AGENCY),
        data=lambda s: {"year": 2025, "licensing_decisions": 3},
        changed=lambda s: register_entered(s["item"].agency),
        changers=("drafter", "agency_admin"),
    ),
    _d(
        "disclosure_column_feed",
        "get",
        lambda s: reverse("workspace:disclosure_column_feed", args=[s["column"].pk]),
        dict.fromkeys(PERSONAS, 200),  # public, like the portal it feeds
        setup="item_published",
    ),
    _d(
        "disclosure_wechat_export",
        "get",
        lambda s: reverse("workspace:disclosure_wechat_export", args=_ITEM(s)),
        _expect(302, drafter=200, agency_admin=200, sysadmin=200, supervisor=404, outsider=404),
        setup="item_published",
    ),
    _d(
        "disclosure_wechat_publish",
        "post",
        lambda s: reverse("workspace:disclosure_wechat_publish", args=_ITEM(s)),
        _expect(302, supervisor=404, outsider=404),
        # no credentials configured: every permitted attempt is recorded as failed
        changed=lambda s: s["item"].channel_states.filter(status="failed").exists(),
        changers=_PUBLISHERS,
        setup="item_published",
    ),
    _d(
        "disclosure_settings",
        "get",
        lambda s: reverse("workspace:disclosure_settings"),
        _expect(404, agency_admin=200),
    ),
    _d(
        "disclosure_guide",
        "post",
        lambda s: reverse("workspace:disclosure_guide"),
        _expect(302, **_OWN_AGENCY),
        changed=lambda s: guide_drafted(s["item"].agency),
        changers=("drafter", "agency_admin"),
    ),
    _d("editors", "get", lambda s: reverse("workspace:editors"), _expect(404, agency_admin=200)),
    _d(
        "editors_draft_post",
        "post",
        lambda s: reverse("workspace:editors"),
        _expect(404, agency_admin=302),
        data=lambda s: {"user": s["item"].signoff_author_id, "section": ""},
        changed=lambda s: _editor_grant(s).filter(active=True).exists(),
        changers=("agency_admin",),
    ),
    _d(
        "editor_revoke",
        "post",
        lambda s: reverse("workspace:editor_revoke", args=[_granted(s).pk]),
        _expect(404, agency_admin=302),
        changed=lambda s: not _editor_grant(s).filter(active=True).exists(),
        changers=("agency_admin",),
    ),
]


def _editor_grant(state: dict[str, Any]) -> Any:
    from gongkai.signoff.models import EditorGrant  # noqa: PLC0415

    item = state["item"]
    return EditorGrant.objects.filter(agency=item.agency, user_id=item.signoff_author_id)


def _granted(state: dict[str, Any]) -> Any:
    """An editor already named (setup, so written directly rather than through the verb)."""
    from gongkai.signoff.models import EditorGrant  # noqa: PLC0415

    item = state["item"]
    grant, _ = EditorGrant.objects.get_or_create(
        agency=item.agency, user_id=item.signoff_author_id, section=None, active=True
    )
    return grant


def _supervision_state(request) -> dict[str, Any]:
    """An audited report of the petition bureau with one confirmed finding already in a notice
    and one open finding, uploaded by the 示范市 supervisor."""
    from gongkai.supervision import services as sup  # noqa: PLC0415
    from gongkai.supervision.samples import build_report, report_html  # noqa: PLC0415

    request.getfixturevalue("settings").MEDIA_ROOT = request.getfixturevalue("tmp_path")
    supervisor = request.getfixturevalue("supervisor")
    city = request.getfixturevalue("city")
    other = request.getfixturevalue("other_agency")
    capture = request.getfixturevalue("django_capture_on_commit_callbacks")
    data = report_html(build_report("示范市信访局", 2023, flaw="s1"))
    with capture(execute=True):
        result = sup.receive_uploads(actor=supervisor, region=city, uploads=[("a.html", data)])
    version = result.received[0].version
    confirmed = version.findings.get(rule="S1")
    sup.review_finding(confirmed, actor=supervisor, to="confirmed")
    notice = sup.send_notice(version, actor=supervisor)
    open_finding = version.findings.get(rule="T2")
    sup.review_finding(open_finding, actor=supervisor, to="for_correction")
    sup.review_finding(open_finding, actor=supervisor, to="open")
    sup.review_finding(open_finding, actor=supervisor, to="confirmed")
    open_finding.refresh_from_db()
    return {
        "batch": result.batch,
        "version": version,
        "notice": notice,
        "open_finding": open_finding,
        "other_agency": other,
    }


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _png_upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    return SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")


def _build_disclosure_state(request: Any, setup: str) -> dict[str, Any]:
    from gongkai.disclosure import services as disclosure  # noqa: PLC0415
    from gongkai.disclosure.models import Column, PiiFinding  # noqa: PLC0415
    from gongkai.signoff.models import ChainTemplate, StepTemplate  # noqa: PLC0415

    drafter = request.getfixturevalue("drafter")
    agency = request.getfixturevalue("petition_bureau")
    for name in ("reviewer", "signer", "confidentiality_officer", "agency_admin"):
        request.getfixturevalue(name)
    template = ChainTemplate.objects.create(purpose="disclosure_item", name="三级审核")
    for order, step_name, role in (
        (1, "科室审核", "reviewer"),
        (2, "保密审查", "confidentiality"),
        (3, "领导签发", "signer"),
    ):
        StepTemplate.objects.create(template=template, order=order, name=step_name, role=role)
    column = Column.objects.get(agency=agency, name="通知公告")
    kind = "reception_schedule" if setup == "item_schedule" else "article"
    body = "<p>值班手机 13812345678。</p>" if setup == "item_draft" else "<p>正文</p>"
    item = disclosure.create_item(
        actor=drafter, column=column, title="关于接访安排的通知", body=body, kind=kind
    )
    attachment = disclosure.add_attachment(item, actor=drafter, name="照片.png", data=PNG)
    item.refresh_from_db()
    if setup in ("item_in_review", "item_approved", "item_published"):
        disclosure.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
    if setup in ("item_approved", "item_published"):
        chain = services.open_chain_for(item)
        for persona in ("reviewer", "confidentiality_officer", "signer"):
            step = chain.steps.get(status="active", round=chain.round)
            services.approve_step(
                step, actor=request.getfixturevalue(persona), revision_hash=chain.revision_hash
            )
        # The chain_approved signal runs on commit, after the test's transaction: apply it now.
        disclosure.on_chain_approved(chain)
    if setup == "item_published":
        item.refresh_from_db()
        disclosure.publish_item(item, actor=drafter)
    item.refresh_from_db()
    return {
        "item": item,
        "attachment": attachment,
        "finding": PiiFinding.objects.filter(item=item).first(),
        "column": column,
    }


# -- annual reports (gongkai.annual) ----------------------------------------------------------


def _a(name: str, method: str, url: Any, expect: dict[str, int], **kwargs: Any) -> Case:
    return Case(name, method, url, expect, setup="annual", **kwargs)


_REPORT = lambda s: [s["report"].pk]  # noqa: E731


def _report(s: dict[str, Any]) -> Any:
    s["report"].refresh_from_db()
    return s["report"]


_READ = {"outsider": 404}
_WRITE = {"supervisor": 404, "outsider": 404}

CASES += [
    _a(
        "annual_reports",
        "post",
        lambda s: reverse("workspace:annual_reports"),
        _expect(302, **_OWN_AGENCY),
        data=lambda s: {"year": 2025},
        changed=lambda s: (
            s["report"].__class__.objects.filter(agency=s["report"].agency, year=2025).exists()
        ),
        changers=tuple(MEMBERS),
    ),
    _a(
        "annual_report",
        "get",
        lambda s: reverse("workspace:annual_report", args=_REPORT(s)),
        _expect(200, **_READ),
    ),
    _a(
        "annual_cell",
        "get",
        lambda s: reverse("workspace:annual_cell", args=_REPORT(s)) + "?cell=table3.granted.total",
        _expect(200, **_READ),
    ),
    _a(
        "annual_download",
        "get",
        lambda s: reverse("workspace:annual_download", args=[*_REPORT(s), "json"]),
        _expect(200, **_READ),
    ),
    _a(
        "annual_region",
        "get",
        lambda s: reverse("workspace:annual_region") + "?year=2026",
        _expect(404, supervisor=200, sysadmin=200),
    ),
    _a(
        "annual_refreeze",
        "post",
        lambda s: reverse("workspace:annual_refreeze", args=_REPORT(s)),
        _expect(302, **_WRITE),
        changed=lambda s: _report(s).version == 2,
        changers=_WRITERS,
    ),
    _a(
        "annual_section",
        "post",
        lambda s: reverse("workspace:annual_section", args=_REPORT(s)),
        _expect(302, **_WRITE),
        data=lambda s: {"key": "problems", "text": "改进措施"},
        changed=lambda s: _report(s).sections.get("problems") == "改进措施",
        changers=_WRITERS,
    ),
    _a(
        "annual_override",
        "post",
        lambda s: reverse("workspace:annual_override", args=_REPORT(s)),
        _expect(302, **_WRITE),
        data=lambda s: {"cell": "table2.licensing.decisions", "value": "3", "reason": "补录"},
        changed=lambda s: bool(_report(s).overrides),
        changers=_WRITERS,
    ),
    _a(
        "annual_submit",
        "post",
        lambda s: reverse("workspace:annual_submit", args=_REPORT(s)),
        _expect(302, **_WRITE),
        data=lambda s: {"revision_hash": s["report"].signoff_revision()},
        changed=lambda s: _report(s).status == "in_review",
        changers=_WRITERS,
    ),
    _a(
        "annual_publish",
        "post",
        lambda s: reverse("workspace:annual_publish", args=_REPORT(s)),
        _expect(302, **_WRITE),
        changed=lambda s: _report(s).publish_state != "",  # a draft: nobody can publish it
    ),
]


# A combined report of 示范市 (汇总), published by 市信访局 as the supervising office: the
# region's supervisors (and sysadmin) write it; the office's staff, who sign it, only read it.
def _c(name: str, method: str, url: Any, expect: dict[str, int], **kwargs: Any) -> Case:
    return Case(name, method, url, expect, setup="annual_combined", **kwargs)


_COMBINED = {**dict.fromkeys(MEMBERS, 404), "outsider": 404}

CASES += [
    _c(
        "annual_report_draft_combined",
        "get",
        lambda s: reverse("workspace:annual_report", args=_REPORT(s)),
        _expect(200, **_READ),
    ),
    _c(
        "annual_cell_draft_combined",
        "get",
        lambda s: reverse("workspace:annual_cell", args=_REPORT(s)) + "?cell=table3.granted.total",
        _expect(200, **_READ),
    ),
    _c(
        "annual_section_draft_combined",
        "post",
        lambda s: reverse("workspace:annual_section", args=_REPORT(s)),
        _expect(302, **_COMBINED),
        data=lambda s: {"key": "problems", "text": "汇总：各机关栏目更新不均衡。"},
        changed=lambda s: bool(_report(s).sections.get("problems")),
        changers=SUPERVISORS,
    ),
    _c(
        "annual_combined",
        "post",
        lambda s: reverse("workspace:annual_combined"),
        # the supervisor works in no agency of 示范市, so may not name a publishing office
        _expect(404, supervisor=302),
        data=lambda s: {
            "region": s["report"].region_id,
            "year": 2025,
            "office": s["report"].agency_id,
        },
        changed=lambda s: s["report"].__class__.objects.filter(year=2025).exists(),
    ),
]


def _combined_state(request: Any) -> dict[str, Any]:
    from gongkai.annual import services as annual  # noqa: PLC0415

    request.getfixturevalue("supervisor")
    report = annual.generate_combined(
        actor=None,
        region=request.getfixturevalue("city"),
        year=2026,
        office=request.getfixturevalue("petition_bureau"),
    )
    return {"report": report}


def _annual_state(request: Any) -> dict[str, Any]:
    from gongkai.annual import services as annual  # noqa: PLC0415

    template = ChainTemplate.objects.create(purpose="annual_report", name="年报签发")
    template.steps.create(order=1, name="领导签发", role="signer")
    report = annual.generate_draft(
        actor=request.getfixturevalue("drafter"),
        agency=request.getfixturevalue("petition_bureau"),
        year=2026,
    )
    request.getfixturevalue("supervisor")
    return {"report": report}


def _params():
    for case in CASES:
        for persona in PERSONAS:
            yield pytest.param(case, persona, id=f"{case.name}-{persona}")


# Views whose 200 is a laid-out PDF (or a ZIP of them). The matrix proves who may download, so
# only WeasyPrint's layout is stubbed (tests/cheap_pdf.py): access check, query, HTML and event
# run as in production. Each is rendered for real in its app's tests (tests/applications/
# test_reminders_archive.py, tests/supervision/test_views.py, tests/disclosure/test_views.py).
PDF_VIEWS = {
    "application_archive",
    "supervision_notice_pdf",
    "disclosure_register_pdf",
    "disclosure_register_zip",
}


@pytest.mark.parametrize(("case", "persona"), list(_params()))
def test_view_permission(request, client, case: Case, persona: str) -> None:
    state = _build_state(request, case)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = case.url(state)
    data = case.data(state) if case.data else {}
    with cheap_pdf() if case.name in PDF_VIEWS else nullcontext():
        response = client.post(url, data) if case.method == "post" else client.get(url)
    assert response.status_code == case.expect[persona], (case.name, persona)
    if response.status_code == 200 and case.name.endswith("_pdf"):
        assert response.content == FAKE_PDF, case.name  # the stub is what stood in
    if persona == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith(reverse("workspace:login"))
    if case.changed is not None:
        assert case.changed(state) is (persona in case.changers), (case.name, persona)


def application_handler(state: dict[str, Any]) -> Any:
    state["application"].refresh_from_db()
    return state["application"].handler_id


def application_status(state: dict[str, Any]) -> str:
    state["application"].refresh_from_db()
    return state["application"].status


def _application(request, with_letter: bool = False, closed: bool = False) -> Any:
    request.getfixturevalue("bundled_calendar")
    today = timezone.localdate()
    application = register_application(
        actor=request.getfixturevalue("handler"),
        agency=request.getfixturevalue("petition_bureau"),
        channel="in_person",
        event_on=today,
        applicant_class="natural_person",
        applicant_name="张三",
        contact_phone="13812345678",
        request_text="请公开本局2025年信访统计",
    )
    state = {"application": application, "today": today}
    if with_letter:
        template = ChainTemplate.objects.create(purpose="notice_letter", name="告知书签发")
        template.steps.create(order=1, name="领导签发", role="signer")
        decided = decide(
            application,
            actor=request.getfixturevalue("handler"),
            outcome="granted",
            decided_on=today,
            note="",
        )
        state["letter"] = decided.letters.get()
    if closed:
        handler = request.getfixturevalue("handler")
        application = request_correction(
            application,
            actor=handler,
            sent_on=today,
            reply_by=today + timedelta(days=1),
            note="请补正",
        )
        close_no_correction(application, actor=handler, on=today + timedelta(days=2))
    return state


def appeal_answer_due(state: dict[str, Any]) -> Any:
    state["appeal"].refresh_from_db()
    return state["appeal"].answer_due_on


def _appeal(request) -> dict[str, Any]:
    state = _application(request)
    state["appeal"] = register_appeal(
        actor=request.getfixturevalue("handler"),
        application=state["application"],
        kind="reconsideration",
        appellant="张三",
        body="示范市人民政府",
        filed_on=state["today"],
    )
    return state


def _online(request) -> dict[str, Any]:
    """An application filed on the portal (with its identity proof)."""
    from gongkai.applications.online import submit_online  # noqa: PLC0415

    request.getfixturevalue("bundled_calendar")
    result = submit_online(
        agency=request.getfixturevalue("petition_bureau"),
        applicant_class="natural_person",
        applicant_name="李四",
        id_type="passport",
        id_number="E12345678",
        contact_phone="13812345678",
        request_text="请公开本局2025年信访统计",
        proof_data=b"%PDF-1.4\n%proof\n",
    )
    return {"application": result.application, "today": timezone.localdate()}


def _build_state(request, case: Case) -> dict[str, Any]:
    if case.setup == "online":
        return _online(request)
    if case.setup == "appeal":
        return _appeal(request)
    if case.setup in ("application", "letter", "closed"):
        return _application(
            request, with_letter=case.setup == "letter", closed=case.setup == "closed"
        )
    if case.setup == "answer_document":
        state = _application(request, with_letter=True)
        state["document"] = add_answer_document(
            state["application"],
            actor=request.getfixturevalue("handler"),
            data=ANSWER_PDF,
            filename="a.pdf",
        )
        return state
    if case.setup.startswith("item_"):
        return _build_disclosure_state(request, case.setup)
    if case.setup == "annual":
        return _annual_state(request)
    if case.setup == "annual_combined":
        return _combined_state(request)
    deputy = request.getfixturevalue("agency_admin")
    item = request.getfixturevalue("make_item")()
    chain = chains_for(item).get()
    step = chain.steps.get(status="active")
    state = {"item": item, "chain": chain, "step": step, "deputy": deputy}
    if case.setup == "supervision":
        state |= _supervision_state(request)
    return state


def test_table_covers_every_workspace_url():
    names = {pattern.name for pattern in urls.urlpatterns}
    covered = {case.name.split("_draft")[0] for case in CASES} | {"login", "logout"}
    assert names == covered
