"""The staff side of applications filed on the portal: a handler takes the unassigned case and
opens the identity proof."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path

from gongkai.applications import online
from gongkai.applications.access import get_application_for_user
from gongkai.applications.errors import ApplicationError
from gongkai.security.methods import allow

PROOF_MIME = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


@allow("GET")
@login_required
def application_identity_proof(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)  # other agencies: 404
    try:
        submission = online.view_identity_proof(application, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(application.get_absolute_url())
    response = FileResponse(
        submission.proof.open("rb"),
        as_attachment=True,
        filename=f"{application.number}-身份证明.{submission.proof_type}",
        content_type=PROOF_MIME[submission.proof_type],
    )
    response["Cache-Control"] = "private, no-store"
    return response


@allow("POST")
@login_required
def application_take(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    try:
        online.take_case(application, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已认领：{application.number}，您是承办人。")
    return redirect(application.get_absolute_url())


urlpatterns = [
    path("applications/<int:pk>/take-case/", application_take, name="application_take"),
    path(
        "applications/<int:pk>/identity-proof/",
        application_identity_proof,
        name="application_identity_proof",
    ),
]
