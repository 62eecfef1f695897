"""The public online application verb and its tracking codes (applications/online.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from tests.applications.conftest import COMPANY_CODE, RESIDENT_ID

from gongkai.applications import actions, online
from gongkai.applications.errors import InvalidInputError, NotPermittedError
from gongkai.applications.models import OnlineSubmission
from gongkai.applications.services import register_application
from gongkai.eventlog.models import Event

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake\n"


@pytest.fixture
def submit(bundled_calendar: Any, petition_bureau: Any) -> Any:
    def run(**overrides: Any) -> online.Submitted:
        fields: dict[str, Any] = {
            "agency": petition_bureau,
            "applicant_class": "natural_person",
            "applicant_name": "李四",
            "id_type": "resident_id",
            "id_number": RESIDENT_ID,
            "contact_phone": "138 1234 5678",
            "contact_email": "lisi@example.com",
            "request_text": "请公开2025年本局信访事项办理情况统计。",
            "proof_data": PNG,
            "submitted_on": date(2026, 3, 2),
        }
        fields.update(overrides)
        return online.submit_online(**fields)

    return run


def test_code_shape_and_entropy():
    code = online.new_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [5, 5, 5, 5]
    assert set("".join(groups)) <= set(online.CODE_ALPHABET)
    assert not set("0O1IL") & set(online.CODE_ALPHABET)
    # ≥ 80 bits: log2(31) × 20 ≈ 99
    assert len(online.CODE_ALPHABET) ** online.CODE_LENGTH > 2**80
    assert len({online.new_code() for _ in range(200)}) == 200


def test_only_a_keyed_hash_is_stored(
    submit, settings, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        result = submit()
    app = result.application
    assert app.channel == "online"
    assert app.received_on == date(2026, 3, 2)
    assert app.handler is None
    assert app.number == "〔2026〕第0001号"
    sub = OnlineSubmission.objects.get(application=app)
    assert sub.code_hash == online.code_hash(result.code)
    assert online.normalize_code(result.code) not in sub.code_hash
    settings.SECRET_KEY = "another-key" * 5
    assert online.code_hash(result.code) != sub.code_hash  # keyed with SECRET_KEY
    # the receipt e-mail carries the code; the log does not
    assert len(mailoutbox) == 1
    assert result.code in mailoutbox[0].body
    events = Event.objects.filter(object_id=str(app.pk))
    assert {e.action for e in events} >= {actions.REGISTERED, actions.SUBMITTED_ONLINE}
    assert all(result.code not in str(e.after) for e in events)


def test_proof_is_private_and_content_checked(submit):
    result = submit(proof_data=PDF)
    sub = result.application.online_submission
    assert sub.proof.name.startswith("private/identity/")
    assert sub.proof_type == "pdf"
    assert sub.proof.read() == PDF
    with pytest.raises(InvalidInputError, match="JPEG、PNG"):
        submit(proof_data=b"GIF89a....")
    with pytest.raises(InvalidInputError, match="JPEG、PNG"):
        submit(proof_data=b"<html><script>alert(1)</script>")
    with pytest.raises(InvalidInputError, match="不能超过 5 MB"):
        submit(proof_data=PNG + b"\x00" * online.MAX_PROOF_BYTES)
    with pytest.raises(InvalidInputError, match="请上传身份证明"):
        submit(proof_data=b"")


def test_identity_rules(submit):
    with pytest.raises(InvalidInputError, match="校验位"):
        submit(id_number=RESIDENT_ID[:-1] + "1")
    with pytest.raises(InvalidInputError, match="统一社会信用代码"):
        submit(applicant_class="commercial", id_type="resident_id", contact_person="王五")
    with pytest.raises(InvalidInputError, match="联系人"):
        submit(applicant_class="commercial", id_type="credit_code", id_number=COMPANY_CODE)
    with pytest.raises(InvalidInputError, match="公民申请"):
        submit(id_type="credit_code", id_number=COMPANY_CODE)
    with pytest.raises(InvalidInputError, match="联系电话或电子邮箱"):
        submit(contact_phone="", contact_email="", contact_address="示范市")
    org = submit(
        applicant_class="commercial",
        applicant_name="示范科技有限公司",
        id_type="credit_code",
        id_number=COMPANY_CODE.lower(),
        contact_person="王五",
    ).application
    assert org.id_number == COMPANY_CODE
    assert org.applicant_name == "示范科技有限公司（联系人：王五）"


def test_the_public_path_of_register_is_online_only(petition_bureau, bundled_calendar):
    with pytest.raises(NotPermittedError):
        register_application(
            actor=None,
            public=True,
            agency=petition_bureau,
            channel="post",
            event_on=date(2026, 3, 2),
            applicant_class="natural_person",
            applicant_name="张三",
            contact_phone="13812345678",
            request_text="x",
        )
    with pytest.raises(NotPermittedError):  # without public=True an actor is required
        register_application(
            actor=None,
            agency=petition_bureau,
            channel="online",
            event_on=date(2026, 3, 2),
            applicant_class="natural_person",
            applicant_name="张三",
            contact_phone="13812345678",
            request_text="x",
        )


def test_failed_submit_leaves_no_file(submit, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = submit()
    with pytest.raises(Exception):  # noqa: B017,PT011  the duplicate code hash is refused
        submit(code=first.code)
    assert OnlineSubmission.objects.count() == 1
    files = [f for f in (tmp_path / "private").rglob("*") if f.is_file()]
    assert files == [tmp_path / first.application.online_submission.proof.name]


def test_track_by_code_and_contact(submit):
    result = submit()
    app = result.application
    # separators, case and spacing do not matter; phone digits or the e-mail both work
    loose = result.code.replace("-", " ").lower()
    assert online.track(loose, "13812345678") == app
    assert online.track(result.code, "138-1234-5678") == app
    assert online.track(result.code, " LiSi@Example.com ") == app
    # wrong code, wrong contact, empty contact: the same None
    other = online.new_code()
    assert online.track(other, "13812345678") is None
    assert online.track(result.code, "13800000000") is None
    assert online.track(result.code, "") is None
    assert online.track("", "") is None
    assert online.track("'; DROP TABLE x; --", "<script>") is None


def test_track_with_no_email_on_file(submit):
    result = submit(contact_email="")
    assert online.track(result.code, "") is None
    assert online.track(result.code, "13812345678") == result.application


def test_applicant_letters_only_signed_delivered(submit, answer, handler, sign):
    from gongkai.applications import services  # noqa: PLC0415

    app = submit().application
    assert online.applicant_letters(app) == []
    app = services.decide(
        app, actor=handler, outcome="granted", decided_on=date(2026, 3, 10), note="公开"
    )
    letter = app.letters.get(kind="answer")
    assert online.applicant_letters(app) == []  # a draft never reaches the applicant
    sign(letter)
    app.refresh_from_db()
    assert online.applicant_letters(app) == []  # signed, not yet delivered
    app = services.record_answer(app, actor=handler, delivery="online", on=date(2026, 3, 11))
    assert online.applicant_letters(app) == [letter]
    assert online.get_applicant_letter(app, letter.pk) == letter
    assert online.get_applicant_letter(app, "x") is None


def test_view_identity_proof_is_logged_and_scoped(submit, handler, outsider):
    app = submit().application
    sub = online.view_identity_proof(app, actor=handler)
    assert sub.proof_type == "png"
    assert Event.objects.filter(action=actions.IDENTITY_PROOF_VIEWED, actor=handler).count() == 1
    with pytest.raises(NotPermittedError):
        online.view_identity_proof(app, actor=outsider)


def test_case_page_links_the_proof_and_opening_it_is_logged(client, submit, handler):
    from django.urls import reverse  # noqa: PLC0415

    app = submit(proof_data=PDF).application
    client.force_login(handler)
    page = client.get(reverse("workspace:application_detail", args=[app.pk]))
    link = reverse("workspace:application_identity_proof", args=[app.pk])
    assert link in page.content.decode()
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]
    assert Event.objects.filter(action=actions.IDENTITY_PROOF_VIEWED).count() == 1


def test_unassigned_online_cases_are_queued_and_remind_every_handler(submit, handler, mailoutbox):
    from gongkai.applications.models import Application  # noqa: PLC0415
    from gongkai.applications.queues import queue  # noqa: PLC0415
    from gongkai.applications.reminders import send_reminders  # noqa: PLC0415

    app = submit().application  # received 2 March 2026, due 30 March
    base = Application.objects.all()
    assert list(queue(base, "unassigned", user=handler, today=date(2026, 3, 3))) == [app]
    assert list(queue(base, "mine", user=handler, today=date(2026, 3, 3))) == []
    handler.email = "h@example.com"
    handler.save(update_fields=["email"])
    mailoutbox.clear()
    assert send_reminders(date(2026, 3, 27)) == 1
    to_handler = [m for m in mailoutbox if handler.email in m.to]
    assert len(to_handler) == 1
    assert app.number in to_handler[0].body


def test_a_handler_takes_the_unassigned_case(submit, handler, outsider, client):
    from django.urls import reverse  # noqa: PLC0415

    app = submit().application
    with pytest.raises(NotPermittedError):
        online.take_case(app, actor=outsider)
    client.force_login(handler)
    page = client.get(reverse("workspace:application_detail", args=[app.pk])).content.decode()
    assert "认领（由我承办）" in page
    client.post(reverse("workspace:application_take", args=[app.pk]))
    app.refresh_from_db()
    assert app.handler == handler
    assert Event.objects.filter(action=actions.CASE_TAKEN, actor=handler).count() == 1
    with pytest.raises(InvalidInputError, match="已有承办人"):
        online.take_case(app, actor=handler)
