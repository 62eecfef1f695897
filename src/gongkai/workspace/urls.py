"""Staff workspace URLs (mounted at the site root)."""

from django.urls import path

from gongkai.security.methods import allow
from gongkai.workspace.views import (
    applications,
    auth,
    documents,
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
    path("steps/<int:pk>/", steps.step_detail, name="step_detail"),
    path("steps/<int:pk>/approve/", steps.step_approve, name="step_approve"),
    path("steps/<int:pk>/return/", steps.step_return, name="step_return"),
    path("steps/<int:pk>/delegate/", steps.step_delegate, name="step_delegate"),
    path("chains/<int:pk>/", pages.chain_open, name="chain_open"),
    path("chains/<int:pk>/resubmit/", documents.chain_resubmit, name="chain_resubmit"),
    path("chains/<int:pk>/withdraw/", documents.chain_withdraw, name="chain_withdraw"),
    path("documents/new/", documents.document_create, name="document_create"),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", documents.document_edit, name="document_edit"),
    path("documents/<int:pk>/submit/", documents.document_submit, name="document_submit"),
    *applications.urlpatterns,
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
            ("notices/<int:pk>/answer/", supervision_notices.notice_answer, "notice_answer"),
            ("notices/<int:pk>/close/", supervision_notices.notice_close, "notice_close"),
        )
    ],
]
