"""The applicant's download page for an answer delivered online (送达方式：网上下载).

``letters/<token>/`` lists the signed answer letter (PDF) and the disclosed documents; the
token is a ``django.core.signing`` value with a max age (``GONGKAI_LETTER_LINK_DAYS``). An
expired or replaced link is a Chinese 410 page, a tampered or unknown one a 404 page — never a
500. Every download is an event; the first one is the answer day (services.record_online_download).
Never cached: the page belongs to one applicant.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from gongkai.applications import letters, services
from gongkai.applications.models import AnswerDocument
from gongkai.security.methods import allow


def _gone(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "portal/letter_link_gone.html", {"status": status}, status=status)


def _delivery(request: HttpRequest, token: str) -> Any:
    try:
        return services.delivery_for_token(token)
    except services.LinkGoneError:
        return _gone(request, 410)
    except services.LinkInvalidError:
        return _gone(request, 404)


def _attachment(content: bytes, mime: str, ascii_name: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@allow("GET")
def letter_download(request: HttpRequest, token: str) -> HttpResponse:
    delivery = _delivery(request, token)
    if isinstance(delivery, HttpResponse):
        return delivery
    application = delivery.application
    documents = list(AnswerDocument.objects.filter(application=application))
    return render(
        request,
        "portal/letter_download.html",
        {
            "delivery": delivery,
            "application": application,
            "letter": delivery.letter,
            "documents": documents,
            "token": token,
        },
    )


def _downloaded(request: HttpRequest, delivery: Any, what: str) -> None:
    if request.method == "GET":  # HEAD is no download
        services.record_online_download(delivery, what=what, on=timezone.localdate())


@never_cache
@allow("GET")
def letter_download_pdf(request: HttpRequest, token: str) -> HttpResponse:
    delivery = _delivery(request, token)
    if isinstance(delivery, HttpResponse):
        return delivery
    letter = delivery.letter
    content = letters.render_pdf(letter)
    _downloaded(request, delivery, f"letter:{letter.pk}")
    name = f"{delivery.application.number}-{letter.get_kind_display()}.pdf"
    return _attachment(content, "application/pdf", f"letter-{letter.pk}.pdf", name)


@never_cache
@allow("GET")
def letter_download_file(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    delivery = _delivery(request, token)
    if isinstance(delivery, HttpResponse):
        return delivery
    document = AnswerDocument.objects.filter(application=delivery.application, pk=pk).first()
    if document is None:
        return _gone(request, 404)
    with document.file.open("rb") as handle:
        content = handle.read()
    _downloaded(request, delivery, f"document:{document.pk}")
    return _attachment(
        content,
        document.content_type,
        f"document-{document.pk}.{document.kind}",
        document.original_name,
    )
