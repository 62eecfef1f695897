"""Staff workspace URLs (mounted at the site root)."""

from django.urls import path

from gongkai.security.methods import allow
from gongkai.workspace.views import auth, documents, pages, steps

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
]
