"""Agency-editable DOCX letter templates: defaults, upload checks, versions, revert."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import docx_templates, letters, services
from gongkai.applications.errors import InvalidInputError, NotPermittedError
from gongkai.applications.models import OUTCOME_KEYS, LetterTemplate
from gongkai.eventlog.models import Event

pytestmark = pytest.mark.django_db


def _docx(*lines: str) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _text(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


LETTERHEAD = _docx(
    "示范市信访局（红头）{{ agency_name }}",
    "{{ doc_number }}",
    "{{ title }}",
    "{{ salutation }}",
    "{%p for p in paragraphs %}",
    "{{ p }}",
    "{%p endfor %}",
    "{{ signed_date }}",
)


def test_a_default_for_every_kind_and_outcome_citing_its_article():
    keys = docx_templates.template_keys()
    assert set(keys) == {"correction", "extension", "fee", "consultation"} | {
        f"answer.{o}" for o in OUTCOME_KEYS
    }
    for key in ("answer.partially_granted", "answer.denied_state_secret", "extension"):
        data = docx_templates.build_default(key)
        docx_templates.validate(data, key)
        text = _text(docx_templates.render(data, docx_templates.sample_context(key)))
        assert f"依据：{keys[key].cited}" in text
    assert "第三十七条" in keys["answer.partially_granted"].cited
    assert "第三十三条第二款" in keys["extension"].cited
    # built reproducibly: the same bytes every time
    built = docx_templates.build_default.__wrapped__("fee")
    assert built == docx_templates.build_default.__wrapped__("fee")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "请选择"),
        (b"%PDF-1.4 not a template", "必须是 Word"),
        (b"PK\x03\x04 broken zip", "已损坏"),
        (_docx("{{ agency_name }} {{ secret_key }} {{ user }}"), "未定义的变量：secret_key、user"),
        (_docx("{{ agency_name "), "语法错误"),
        (_docx("{{ title.__class__.__mro__ }}"), "安全沙箱"),
        (_docx("{% include 'x.html' %}"), "无法生成"),
    ],
)
def test_upload_is_checked_by_content(agency_admin, petition_bureau, data, message):
    with pytest.raises(InvalidInputError, match=message):
        services.upload_letter_template(
            actor=agency_admin, agency=petition_bureau, key="extension", data=data
        )
    assert not LetterTemplate.objects.exists()


def test_upload_refuses_oversize_and_macros(agency_admin, petition_bureau, monkeypatch):
    monkeypatch.setattr(docx_templates, "MAX_TEMPLATE_BYTES", 1000)
    with pytest.raises(InvalidInputError, match="过大"):
        services.upload_letter_template(
            actor=agency_admin, agency=petition_bureau, key="fee", data=LETTERHEAD
        )
    monkeypatch.undo()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(LETTERHEAD)) as src, zipfile.ZipFile(buffer, "w") as out:
        for item in src.infolist():
            out.writestr(item, src.read(item.filename))
        out.writestr("word/vbaProject.bin", b"macro")
    with pytest.raises(InvalidInputError, match="含宏"):
        services.upload_letter_template(
            actor=agency_admin, agency=petition_bureau, key="fee", data=buffer.getvalue()
        )


def test_versions_render_the_letter_and_revert(
    make_application, handler, agency_admin, petition_bureau, sign
):
    with pytest.raises(NotPermittedError):
        services.upload_letter_template(
            actor=handler, agency=petition_bureau, key="answer.granted", data=LETTERHEAD
        )
    with pytest.raises(InvalidInputError, match="没有该"):
        services.upload_letter_template(
            actor=agency_admin, agency=petition_bureau, key="nope", data=LETTERHEAD
        )
    app = make_application(applicant_name="张<三>&")
    app = services.decide(
        app, actor=handler, outcome="granted", decided_on=date(2026, 3, 20), note=""
    )
    letter = sign(app.letters.get())
    assert "依据：《中华人民共和国政府信息公开条例》第三十六条第（二）项" in _text(
        letters.render_docx(letter)
    )
    first = services.upload_letter_template(
        actor=agency_admin, agency=petition_bureau, key="answer.granted", data=LETTERHEAD
    )
    second = services.upload_letter_template(
        actor=agency_admin,
        agency=petition_bureau,
        key="answer.granted",
        data=LETTERHEAD,
        filename="红头.docx",
    )
    first.refresh_from_db()
    assert (first.version, first.active, second.version, second.active) == (1, False, 2, True)
    text = _text(letters.render_docx(letter))
    assert text[0] == f"示范市信访局（红头）{petition_bureau.name}"
    assert letter.doc_number in text
    assert "张<三>&：" in text  # escaped into the XML, shown as typed
    services.revert_letter_template(
        actor=agency_admin, agency=petition_bureau, key="answer.granted"
    )
    assert not LetterTemplate.objects.filter(active=True).exists()
    assert "依据：" in "".join(_text(letters.render_docx(letter)))
    with pytest.raises(InvalidInputError, match="默认模板"):
        services.revert_letter_template(
            actor=agency_admin, agency=petition_bureau, key="answer.granted"
        )
    actions = list(
        Event.objects.filter(action__startswith="applications.letter_template").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "applications.letter_template_uploaded",
        "applications.letter_template_uploaded",
        "applications.letter_template_reverted",
    ]


def test_template_pages(client, agency_admin, petition_bureau, django_assert_max_num_queries):
    client.force_login(agency_admin)
    with django_assert_max_num_queries(15):
        body = client.get(reverse("workspace:letter_templates")).content.decode()
    assert "答复告知书 · （三）不予公开 · 1.属于国家秘密" in body
    assert "agency_name" in body
    response = client.get(reverse("workspace:letter_template_download", args=["fee"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = reverse("workspace:letter_template_upload", args=["fee"])
    bad = SimpleUploadedFile("x.docx", _docx("{{ nope }}"))
    response = client.post(upload, {"file": bad})
    assert response.status_code == 400
    assert "未定义的变量：nope" in response.content.decode()
    response = client.post(upload, {"file": SimpleUploadedFile("x.docx", LETTERHEAD)})
    assert response.status_code == 302
    body = client.get(reverse("workspace:letter_templates")).content.decode()
    assert "本机关第 1 版" in body
    old = client.get(reverse("workspace:letter_template_download", args=["fee"]) + "?version=1")
    assert old.content == LETTERHEAD
    missing = reverse("workspace:letter_template_download", args=["fee"]) + "?version=9"
    assert client.get(missing).status_code == 404
    assert client.get(reverse("workspace:letter_template_download", args=["x"])).status_code == 404
    client.post(reverse("workspace:letter_template_revert", args=["fee"]))
    assert not LetterTemplate.objects.filter(active=True).exists()
