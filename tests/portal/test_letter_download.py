"""The applicant's expiring download link for an answer delivered online."""

from __future__ import annotations

import io
import time
from datetime import date

import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from tests.applications.conftest import (  # noqa: F401
    letter_template,
    make_application,
    sign,
)

from gongkai.applications import services
from gongkai.applications.errors import InvalidInputError
from gongkai.eventlog.models import Event

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a disclosed document\n"


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def decided(make_application, handler, sign):  # noqa: F811
    app = make_application(event_on=date(2026, 3, 2))
    app = services.decide(
        app, actor=handler, outcome="granted", decided_on=date(2026, 3, 20), note=""
    )
    sign(app.letters.get())
    return app


def test_online_delivery_closes_at_the_first_download(
    client, decided, handler, django_capture_on_commit_callbacks, mailoutbox
):
    services.add_answer_document(decided, actor=handler, data=PDF, filename="统计表.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.deliver_online(decided, actor=handler)
    assert delivery.get_absolute_url() in mailoutbox[-1].body
    page = client.get(reverse("portal:letter_download", args=[delivery.token]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "统计表.pdf" in body
    assert page["Cache-Control"].startswith("max-age=0")
    decided.refresh_from_db()
    assert decided.status == "answering"  # viewing the page is no download
    pdf = client.get(reverse("portal:letter_download_pdf", args=[delivery.token]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    decided.refresh_from_db()
    today = timezone.localdate()
    assert (decided.status, decided.closed_on, decided.answer_delivery) == (
        "closed",
        today,
        "online",
    )
    document = decided.answer_documents.get()
    file = client.get(reverse("portal:letter_download_file", args=[delivery.token, document.pk]))
    assert file.content == PDF
    assert file["Content-Type"] == "application/pdf"
    downloads = Event.objects.filter(action="applications.letter_downloaded")
    assert downloads.count() == 2
    assert Event.objects.filter(action="applications.answered").count() == 1
    decided.refresh_from_db()
    assert decided.closed_on == today  # later downloads do not move the answer day


def test_expired_replaced_and_tampered_links(client, decided, handler):
    first = services.deliver_online(decided, actor=handler)
    second = services.deliver_online(decided, actor=handler)
    url = reverse("portal:letter_download", args=[first.token])
    gone = client.get(url)
    assert gone.status_code == 410
    assert "下载链接已失效" in gone.content.decode()
    assert client.get(reverse("portal:letter_download_pdf", args=[first.token])).status_code == 410
    tampered = second.token[:-2] + ("AA" if not second.token.endswith("AA") else "BB")
    response = client.get(reverse("portal:letter_download", args=[tampered]))
    assert response.status_code == 404
    assert "下载链接无效" in response.content.decode()
    forged = signing.dumps({"d": second.pk, "n": "guess"}, salt=services.LINK_SALT)
    assert client.get(reverse("portal:letter_download", args=[forged])).status_code == 404
    not_a_dict = signing.dumps([1], salt=services.LINK_SALT)
    assert client.get(reverse("portal:letter_download", args=[not_a_dict])).status_code == 404
    # a token signed two days ago, read with a one-day maximum age
    two_days_ago = signing.b62_encode(int(time.time()) - 2 * 86400)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(signing.TimestampSigner, "timestamp", lambda self: two_days_ago)
        old = signing.dumps({"d": second.pk, "n": second.nonce}, salt=services.LINK_SALT)
    assert client.get(reverse("portal:letter_download", args=[old])).status_code == 200
    with override_settings(GONGKAI_LETTER_LINK_DAYS=1):
        response = client.get(reverse("portal:letter_download", args=[old]))
    assert response.status_code == 410
    other = client.get(reverse("portal:letter_download_file", args=[second.token, 999]))
    assert other.status_code == 404
    assert not Event.objects.filter(action="applications.letter_downloaded").exists()


def test_documents_are_checked_and_delivery_needs_a_signed_answer(
    make_application,  # noqa: F811
    handler,
    decided,
    monkeypatch,
):
    with pytest.raises(InvalidInputError, match="只接受"):
        services.add_answer_document(decided, actor=handler, data=b"MZ\x90exe", filename="a.pdf")
    monkeypatch.setattr(services, "MAX_ANSWER_DOCUMENT_BYTES", 10)
    with pytest.raises(InvalidInputError, match="过大"):
        services.add_answer_document(decided, actor=handler, data=_png(), filename="a.png")
    monkeypatch.undo()
    document = services.add_answer_document(
        decided, actor=handler, data=_png(), filename="../../图.png"
    )
    assert (document.kind, document.content_type, document.original_name) == (
        "png",
        "image/png",
        ".._.._图.png",
    )
    services.remove_answer_document(document, actor=handler)
    assert not decided.answer_documents.exists()
    unsigned = make_application(event_on=date(2026, 3, 2), request_text="另一件")
    unsigned = services.decide(
        unsigned, actor=handler, outcome="granted", decided_on=date(2026, 3, 20), note=""
    )
    with pytest.raises(InvalidInputError, match="尚未签发"):
        services.deliver_online(unsigned, actor=handler)


def test_case_page_offers_online_delivery(client, decided, handler):
    client.force_login(handler)
    upload = io.BytesIO(PDF)
    upload.name = "表.pdf"
    client.post(reverse("workspace:application_document_add", args=[decided.pk]), {"file": upload})
    response = client.post(reverse("workspace:application_deliver_online", args=[decided.pk]))
    assert response.status_code == 302
    body = client.get(decided.get_absolute_url()).content.decode()
    delivery = decided.online_deliveries.get()
    assert delivery.get_absolute_url() in body
    assert "表.pdf" in body
