"""依申请公开 on the portal: the online application (two server-side steps) and tracking.

No JavaScript needed: step 1 posts the description and shows published items that may already
answer it, step 2 is the whole form. Nothing here is cached (``never_cache``): these pages
carry a captcha, a tracking code or one applicant's case.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

from captcha import views as captcha_views
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from gongkai.applications import letters, online
from gongkai.applications.errors import ApplicationError
from gongkai.applications.models import Application
from gongkai.portal import limits, selectors
from gongkai.portal.forms import ApplyForm, DescribeForm, TrackForm
from gongkai.search.query import matching_items
from gongkai.security.methods import allow

TRACK_SESSION_KEY = "portal_track"
# step 1 creates a captcha challenge (a database row) for the next page: bounded per address too
DESCRIBE_RATE = "60/h"
TRACK_FAILED = "查询码或联系方式不正确，请核对后重新输入。"


def _matches(text: str, agency: Any) -> list[Any]:
    return matching_items(text, agency, limit=5) if text else []


# the whole form with a 5 MB proof stays well under this; larger bodies are refused unread
MAX_BODY_BYTES = online.MAX_PROOF_BYTES + 512 * 1024


@allow("GET", "POST")
@csrf_exempt  # checked in _apply by csrf_protect, after the size check (CSRF reads the body)
@never_cache
def apply(request: HttpRequest, agency: int) -> HttpResponse:
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = MAX_BODY_BYTES + 1
        if length > MAX_BODY_BYTES:
            selectors.get_public_agency(agency)
            return render(request, "portal/413.html", {"limit_mb": 5}, status=413)
    return _apply(request, agency)


@csrf_protect
def _apply(request: HttpRequest, agency: int) -> HttpResponse:
    obj = selectors.get_public_agency(agency)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if step == "submit":
        return _submit(request, obj)
    if step == "describe":
        if limits.over_ip_limit(request, "describe", DESCRIBE_RATE):
            return limits.too_many(request, "提交申请")
        describe = DescribeForm(request.POST)
        if describe.is_valid():
            text = describe.cleaned_data["request_text"]
            form = ApplyForm(initial={"request_text": text})
            return _form_page(request, obj, form, text)
        return render(
            request, "portal/apply/describe.html", {"agency": obj, "form": describe}, status=400
        )
    return render(request, "portal/apply/describe.html", {"agency": obj, "form": DescribeForm()})


def _form_page(
    request: HttpRequest, agency: Any, form: ApplyForm, text: str, status: int = 200
) -> HttpResponse:
    context = {"agency": agency, "form": form, "matches": _matches(text, agency)}
    return render(request, "portal/apply/form.html", context, status=status)


def _submit(request: HttpRequest, agency: Any) -> HttpResponse:
    if limits.over_ip_limit(request, "apply", settings.GONGKAI_APPLY_RATE_IP):
        return limits.too_many(request, "提交申请")
    form = ApplyForm(request.POST, request.FILES)
    text = str(request.POST.get("request_text", ""))[:2000]
    if not form.is_valid():
        return _form_page(request, agency, form, text, status=400)
    data = form.cleaned_data
    if limits.over_identity_limit(request, data["id_number"]):
        return limits.too_many(request, "以同一证件提交申请")
    try:
        result = online.submit_online(
            agency=agency,
            applicant_class=data["applicant_class"],
            applicant_name=data["applicant_name"],
            id_type=data["id_type"],
            id_number=data["id_number"],
            contact_person=data["contact_person"],
            contact_phone=data["contact_phone"],
            contact_email=data["contact_email"],
            contact_address=data["contact_address"],
            request_text=data["request_text"],
            request_doc_number=data["request_doc_number"],
            form_wanted=data["form_wanted"],
            delivery_wanted=data["delivery_wanted"],
            proof_data=data["proof"].read(online.MAX_PROOF_BYTES + 1),
        )
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _form_page(request, agency, form, text, status=400)
    # Rendered, not redirected: the code exists only in this response (and the e-mail).
    return render(
        request,
        "portal/apply/receipt.html",
        {"agency": agency, "app": result.application, "code": result.code},
    )


@allow("GET")
def captcha_image(request: HttpRequest, key: str) -> HttpResponse:
    """django-simple-captcha's image, under the portal's URLs (410 for an unknown key)."""
    return captcha_views.captcha_image(request, key, scale=1)


# ---------------------------------------------------------------------------------------------
# tracking


@allow("GET", "POST")
@never_cache
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    failed = False
    if request.method == "POST":
        if limits.over_ip_limit(request, "track", settings.GONGKAI_TRACK_RATE_IP):
            return limits.too_many(request, "查询申请")
        if form.is_valid():
            application = online.track(form.cleaned_data["code"], form.cleaned_data["contact"])
            if application is not None:
                request.session.cycle_key()
                minutes = settings.GONGKAI_TRACK_SESSION_MINUTES
                request.session[TRACK_SESSION_KEY] = {
                    "pk": application.pk,
                    "until": time.time() + minutes * 60,
                }
                return redirect("portal:track_status")
            # the same page for a wrong code and a wrong contact, nothing echoed back
            failed, form = True, TrackForm()
    expired = request.GET.get("expired") == "1"
    return render(
        request,
        "portal/track/form.html",
        {"form": form, "failed": failed, "failed_message": TRACK_FAILED, "expired": expired},
    )


def _tracked(request: HttpRequest) -> Application | None:
    entry = request.session.get(TRACK_SESSION_KEY)
    if not isinstance(entry, dict) or float(entry.get("until", 0)) < time.time():
        request.session.pop(TRACK_SESSION_KEY, None)
        return None
    return (
        Application.objects.filter(pk=entry.get("pk"), online_submission__isnull=False)
        .select_related("agency")
        .first()
    )


@allow("GET")
@never_cache
def track_status(request: HttpRequest) -> HttpResponse:
    application = _tracked(request)
    if application is None:
        return redirect(reverse("portal:track") + "?expired=1")
    return render(
        request,
        "portal/track/status.html",
        {
            "app": application,
            "status_text": online.PUBLIC_STATUS.get(application.status, ""),
            "letters": online.applicant_letters(application),
        },
    )


@allow("POST")
def track_end(request: HttpRequest) -> HttpResponse:
    request.session.pop(TRACK_SESSION_KEY, None)
    return redirect("portal:track")


@allow("GET")
@never_cache
def track_letter(request: HttpRequest, pk: int) -> HttpResponse:
    application = _tracked(request)
    letter = online.get_applicant_letter(application, pk) if application else None
    if letter is None:
        raise Http404("没有找到该文书。")
    content = letters.render_pdf(letter)
    online.note_applicant_download(letter)
    name = f"{application.number}-{letter.get_kind_display()}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename=\"letter-{letter.pk}.pdf\"; filename*=UTF-8''{quote(name)}"
    )
    return response
