"""The public online application form: two server-side steps, Chinese errors, limits, XSS."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.applications.conftest import COMPANY_CODE, RESIDENT_ID

from gongkai.applications import online
from gongkai.applications.models import Application, OnlineSubmission

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def _captcha_test_mode(monkeypatch):
    """django-simple-captcha's own test mode: the answer PASSED is accepted."""
    from captcha.conf import settings as captcha_settings  # noqa: PLC0415

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    cache.clear()  # rate-limit counters
    yield
    cache.clear()


@pytest.fixture
def url(petition_bureau):
    return reverse("portal:apply", args=[petition_bureau.pk])


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "step": "submit",
        "applicant_class": "natural_person",
        "applicant_name": "李四",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "contact_phone": "13812345678",
        "contact_email": "",
        "contact_address": "",
        "contact_person": "",
        "request_text": "请公开2025年本局信访事项办理情况统计。",
        "request_doc_number": "",
        "form_wanted": "electronic",
        "delivery_wanted": "online",
        "proof": SimpleUploadedFile("id.png", PNG, content_type="image/png"),
        "captcha_0": "test-key",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def _errors(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(re.findall(r'<p class="error" id="id_(\w+)-error">([^<]*)</p>', html))


def test_step_one_shows_matching_published_items(client, url, publish, bundled_calendar):
    item = publish(title="2025年信访事项办理情况统计")
    publish(title="关于道路施工的通告")
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="request_text"' in response.content.decode()
    response = client.post(url, {"step": "describe", "request_text": "我想要信访事项的统计"})
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("portal:item", args=[item.agency_id, item.pk]) in html
    assert "道路施工" not in html
    assert 'name="captcha_1"' in html
    assert 'name="proof"' in html
    assert "no-store" in response["Cache-Control"]


def test_step_one_refuses_a_blank_description(client, url):
    response = client.post(url, {"step": "describe", "request_text": "  "})
    assert response.status_code == 400
    assert _errors(response) == {"request_text": "请填写所需信息的描述。"}


def test_errors_are_chinese_beside_each_field(client, url, bundled_calendar):
    response = client.post(
        url,
        form_data(
            applicant_name="",
            id_number=RESIDENT_ID[:-1] + "1",
            contact_phone="",
            contact_email="not-an-email",
            delivery_wanted="post",
            proof=SimpleUploadedFile("x.png", b"", content_type="image/png"),
            captcha_1="",
        ),
    )
    assert response.status_code == 400
    errors = _errors(response)
    assert errors["applicant_name"] == "请填写姓名或名称。"
    assert "校验位错误" in errors["id_number"]
    assert errors["contact_email"] == "电子邮箱格式不正确。"
    assert errors["contact_address"] == "选择邮寄时请填写通信地址。"
    assert "proof" in errors
    assert "captcha" in errors
    html = response.content.decode()
    # the input points at its error for screen readers
    assert re.search(r'name="applicant_name"[^>]*aria-describedby="id_applicant_name-error"', html)
    assert 'aria-invalid="true"' in html
    assert Application.objects.count() == 0


def test_organisation_needs_credit_code_and_contact_person(client, url, bundled_calendar):
    response = client.post(url, form_data(applicant_class="commercial", applicant_name="示范公司"))
    errors = _errors(response)
    assert errors["id_type"] == "法人或其他组织申请请选择统一社会信用代码。"
    assert errors["contact_person"] == "法人或其他组织申请请填写联系人姓名。"
    response = client.post(
        url,
        form_data(
            applicant_class="commercial",
            applicant_name="示范科技有限公司",
            id_type="credit_code",
            id_number=COMPANY_CODE,
            contact_person="王五",
        ),
    )
    assert response.status_code == 200
    assert Application.objects.get().applicant_class == "commercial"


def test_proof_is_checked_by_content(client, url, bundled_calendar):
    fake = SimpleUploadedFile("id.png", b"<html>not an image</html>", content_type="image/png")
    response = client.post(url, form_data(proof=fake))
    assert response.status_code == 400
    assert "只接受 JPEG、PNG 图片或 PDF" in response.content.decode()
    big = SimpleUploadedFile("id.png", PNG + b"\x00" * online.MAX_PROOF_BYTES)
    response = client.post(url, form_data(proof=big))
    assert _errors(response)["proof"] == "身份证明文件不能超过 5 MB。"
    assert OnlineSubmission.objects.count() == 0


def test_the_form_limits_hold(client, url, bundled_calendar):
    response = client.post(
        url,
        form_data(
            request_text="信" * 2001,
            applicant_name="名" * 101,
            id_number="1" * 41,
            request_doc_number="号" * 101,
            contact_phone="1" * 21,
            applicant_class="king",
            form_wanted="scroll",
        ),
    )
    assert response.status_code == 400
    errors = _errors(response)
    assert errors["request_text"].startswith("所需信息的描述过长")
    assert errors["applicant_name"].startswith("姓名或名称过长")
    assert errors["id_number"].startswith("证件号码过长")
    assert errors["request_doc_number"].startswith("文号过长")
    assert errors["applicant_class"] == "申请人类型无效。"
    assert errors["form_wanted"] == "载体形式无效。"


def test_submit_shows_the_receipt_with_the_code_once(client, url, bundled_calendar, mailoutbox):
    response = client.post(url, form_data(contact_email="lisi@example.com"))
    html = response.content.decode()
    assert response.status_code == 200
    app = Application.objects.get()
    assert app.channel == "online"
    assert app.number in html
    code = re.search(r'<p class="tracking-code"><strong>([A-Z0-9-]+)</strong>', html).group(1)
    assert online.track(code, "13812345678") == app
    assert "请立即抄写或截图保存查询码" in html
    assert "no-store" in response["Cache-Control"]
    assert app.received_on.isoformat() in app.receipt_explanation


def test_xss_in_every_input_comes_back_escaped(client, url, publish, bundled_calendar):
    publish(title="信访事项统计")
    response = client.post(url, {"step": "describe", "request_text": XSS + "信访事项"})
    assert XSS not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()
    fields = [
        "applicant_name",
        "id_number",
        "contact_person",
        "contact_phone",
        "contact_email",
        "contact_address",
        "request_text",
        "request_doc_number",
        "captcha_1",
        "applicant_class",
        "form_wanted",
    ]
    response = client.post(url, form_data(**dict.fromkeys(fields, XSS), captcha_0=XSS))
    html = response.content.decode()
    assert response.status_code == 400
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    # a valid application whose free text is a payload: the receipt escapes it too
    response = client.post(
        url, form_data(applicant_name=XSS, request_text=XSS, contact_address=XSS)
    )
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_rate_limit_per_ip(client, url, settings, bundled_calendar):
    settings.GONGKAI_APPLY_RATE_IP = "2/h"
    for _ in range(2):
        assert client.post(url, form_data(applicant_name="")).status_code == 400
    response = client.post(url, form_data())
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()
    assert Application.objects.count() == 0
    # another address is not affected
    other = client.post(url, form_data(), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


def test_rate_limit_per_identity(client, url, settings, bundled_calendar):
    settings.GONGKAI_APPLY_RATE_IDENTITY = "1/d"
    assert client.post(url, form_data()).status_code == 200
    response = client.post(url, form_data(), REMOTE_ADDR="203.0.113.10")
    assert response.status_code == 429
    assert "以同一证件提交申请" in response.content.decode()
    assert Application.objects.count() == 1


def test_a_wrong_captcha_is_refused(client, url, monkeypatch, bundled_calendar):
    from captcha.conf import settings as captcha_settings  # noqa: PLC0415

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    response = client.post(url, form_data(captcha_1="PASSED"))
    assert response.status_code == 400
    assert _errors(response)["captcha"] == "验证码不正确，请重新输入新图片中的字符。"


def test_captcha_image_is_served_and_unknown_keys_are_gone(client, url):
    html = client.post(url, {"step": "describe", "request_text": "信访事项办理统计"}).content
    src = re.search(rb'<img src="([^"]+)" alt="\xe9\xaa\x8c', html).group(1).decode()
    response = client.get(src)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert client.get(reverse("portal:captcha_image", args=["nope"])).status_code == 410


def test_unknown_or_inactive_agency_is_404(client, petition_bureau):
    assert client.get(reverse("portal:apply", args=[999999])).status_code == 404
    petition_bureau.active = False
    petition_bureau.save(update_fields=["active"])
    assert client.get(reverse("portal:apply", args=[petition_bureau.pk])).status_code == 404


def test_agency_page_links_to_apply_and_track(client, petition_bureau):
    html = client.get(reverse("portal:agency", args=[petition_bureau.pk])).content.decode()
    assert reverse("portal:apply", args=[petition_bureau.pk]) in html
    assert reverse("portal:track") in html


def test_apply_page_query_count(
    client, url, publish, bundled_calendar, django_assert_max_num_queries
):
    publish(title="信访事项统计")
    with django_assert_max_num_queries(8):
        client.post(url, {"step": "describe", "request_text": "信访事项办理统计"})


def test_step_one_is_rate_limited_too(client, url, monkeypatch):
    from gongkai.portal import views_apply  # noqa: PLC0415

    monkeypatch.setattr(views_apply, "DESCRIBE_RATE", "1/h")
    data = {"step": "describe", "request_text": "信访事项办理统计"}
    assert client.post(url, data).status_code == 200
    assert client.post(url, data).status_code == 429


def test_the_case_shows_in_the_workspace_list(client, url, handler, bundled_calendar):
    client.post(url, form_data())
    number = Application.objects.get().number
    client.force_login(handler)
    html = client.get(reverse("workspace:application_list")).content.decode()
    assert number in html
    assert "李四" not in html  # masked in lists


def test_an_oversized_body_is_refused_unread(client, url, bundled_calendar):
    big = SimpleUploadedFile("id.png", PNG + b"\x00" * (6 * 1024 * 1024))
    response = client.post(url, form_data(proof=big))
    assert response.status_code == 413
    assert "提交的文件过大" in response.content.decode()
    assert Application.objects.count() == 0


def test_csrf_is_still_checked(url, bundled_calendar):
    from django.test import Client  # noqa: PLC0415

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url, form_data()).status_code == 403
    assert Application.objects.count() == 0
