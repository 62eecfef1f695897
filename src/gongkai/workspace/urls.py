"""Staff workspace URLs (mounted at ``/workspace/``; the portal owns the site root)."""

from django.urls import path

from gongkai.security.methods import allow
from gongkai.workspace.views import (
    annual,
    appeals,
    applications,
    applications_online,
    auth,
    disclosure,
    disclosure_channels,
    disclosure_columns,
    disclosure_guide,
    disclosure_register,
    editors,
    letter_templates,
    pages,
    steps,
    supervision,
    supervision_notices,
)

app_name = "workspace"

urlpatterns = [
    path("", pages.inbox, name="inbox"),
    path("login/", allow("GET", "POST")(auth.LoginView.as_view()), name="login"),
    path("logout/", allow("POST")(auth.LogoutView.as_view()), name="logout"),
    path("agency/switch/", pages.switch, name="switch_agency"),
    path("submissions/", pages.submissions, name="submissions"),
    path("editors/", editors.editor_list, name="editors"),
    path("editors/<int:pk>/revoke/", editors.editor_revoke, name="editor_revoke"),
    path("steps/<int:pk>/", steps.step_detail, name="step_detail"),
    path("steps/<int:pk>/approve/", steps.step_approve, name="step_approve"),
    path("steps/<int:pk>/return/", steps.step_return, name="step_return"),
    path("steps/<int:pk>/delegate/", steps.step_delegate, name="step_delegate"),
    path("chains/<int:pk>/", pages.chain_open, name="chain_open"),
    # 主动公开 (docs/disclosure.md)
    path("disclosure/", disclosure.item_list, name="disclosure_items"),
    path("disclosure/new/", disclosure.item_create, name="disclosure_item_create"),
    path("disclosure/<int:pk>/", disclosure.item_detail, name="disclosure_item"),
    path("disclosure/<int:pk>/edit/", disclosure.item_edit, name="disclosure_item_edit"),
    path("disclosure/<int:pk>/submit/", disclosure.item_submit, name="disclosure_item_submit"),
    path("disclosure/<int:pk>/recall/", disclosure.item_recall, name="disclosure_item_recall"),
    path(
        "disclosure/<int:pk>/confirm-schedule/",
        disclosure.item_confirm_schedule,
        name="disclosure_item_confirm_schedule",
    ),
    path("disclosure/<int:pk>/publish/", disclosure.item_publish, name="disclosure_item_publish"),
    path(
        "disclosure/<int:pk>/withdraw/", disclosure.item_withdraw, name="disclosure_item_withdraw"
    ),
    path(
        "disclosure/<int:pk>/attachments/",
        disclosure.attachment_upload,
        name="disclosure_attachment_upload",
    ),
    path(
        "disclosure/attachments/<int:pk>/",
        disclosure.attachment_download,
        name="disclosure_attachment",
    ),
    path(
        "disclosure/attachments/<int:pk>/remove/",
        disclosure.attachment_remove,
        name="disclosure_attachment_remove",
    ),
    path(
        "disclosure/findings/<int:pk>/acknowledge/",
        disclosure.finding_acknowledge,
        name="disclosure_finding_acknowledge",
    ),
    path(
        "disclosure/<int:pk>/register.pdf",
        disclosure.item_register_form,
        {"fmt": "pdf"},
        name="disclosure_register_pdf",
    ),
    path(
        "disclosure/<int:pk>/register.docx",
        disclosure.item_register_form,
        {"fmt": "docx"},
        name="disclosure_register_docx",
    ),
    path(
        "disclosure/register-forms/", disclosure.register_forms_zip, name="disclosure_register_zip"
    ),
    path("disclosure/columns/", disclosure_columns.column_tree, name="disclosure_columns"),
    path(
        "disclosure/columns/new/", disclosure_columns.column_create, name="disclosure_column_create"
    ),
    path(
        "disclosure/columns/<int:pk>/",
        disclosure_columns.column_edit,
        name="disclosure_column_edit",
    ),
    path(
        "disclosure/settings/", disclosure_columns.disclosure_settings, name="disclosure_settings"
    ),
    path("disclosure/guide/", disclosure_guide.guide_draft, name="disclosure_guide"),
    path(
        "disclosure/columns/<int:pk>/feed.atom",
        disclosure_channels.column_feed,
        name="disclosure_column_feed",
    ),
    path(
        "disclosure/<int:pk>/wechat/export/",
        disclosure_channels.wechat_export,
        name="disclosure_wechat_export",
    ),
    path(
        "disclosure/<int:pk>/wechat/publish/",
        disclosure_channels.wechat_publish,
        name="disclosure_wechat_publish",
    ),
    path("disclosure/register/", disclosure_register.register_page, name="disclosure_register"),
    # before applications' <pk>/<verb>/ pattern, which would otherwise take the path
    *applications_online.urlpatterns,
    *applications.urlpatterns,
    *letter_templates.urlpatterns,
    *annual.urlpatterns,
    *appeals.urlpatterns,
    *[
        path(f"supervision/{route}", view, name=f"supervision_{name}")
        for route, view, name in (
            ("", supervision.board, "board"),
            ("export.xlsx", supervision.export, "export"),
            ("batches/", supervision.batches, "batches"),
            ("fetch/", supervision.fetch, "fetch"),
            ("batches/<int:pk>/", supervision.batch_detail, "batch"),
            ("batches/<int:pk>/progress/", supervision.batch_progress_view, "progress"),
            ("queue/", supervision.queue, "queue"),
            ("files/<int:pk>/assign/", supervision.assign, "assign"),
            ("reports/<int:pk>/", supervision.report, "report"),
            ("reports/<int:pk>/file/", supervision.report_file, "file"),
            ("reports/<int:pk>/correct/", supervision.correct, "correct"),
            ("reports/<int:pk>/notice/", supervision_notices.notice_create, "notice_create"),
            ("findings/<int:pk>/review/", supervision.review, "review"),
            ("notices/", supervision_notices.notices, "notices"),
            ("notices/<int:pk>/", supervision_notices.notice_detail, "notice"),
            ("notices/<int:pk>/notice.docx", supervision_notices.notice_docx_view, "notice_docx"),
            ("notices/<int:pk>/notice.pdf", supervision_notices.notice_pdf_view, "notice_pdf"),
            ("notices/<int:pk>/answer/", supervision_notices.notice_answer, "notice_answer"),
            ("notices/<int:pk>/close/", supervision_notices.notice_close, "notice_close"),
        )
    ],
]
