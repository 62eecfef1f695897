"""Notice letters: the cited article per outcome, 文号 sequences, DOCX and PDF renderings."""

from __future__ import annotations

import io
from datetime import date

import docx
import pdfplumber
import pytest

from gongkai.applications import services
from gongkai.applications.letters import ANSWER_TEXT, render_docx, render_pdf
from gongkai.applications.models import OUTCOME_KEYS

pytestmark = pytest.mark.django_db


def test_every_outcome_has_a_letter_text():
    assert set(ANSWER_TEXT) == set(OUTCOME_KEYS)


def test_partial_disclosure_letter_signed_and_rendered(make_application, handler, sign):
    app = make_application()
    app = services.decide(
        app,
        actor=handler,
        outcome="partially_granted",
        decided_on=date(2026, 3, 20),
        note="第三页涉及第三方个人信息。",
    )
    letter = app.letters.get()
    assert "第三十七条" in letter.cited_article
    assert "第三页涉及第三方个人信息。" in letter.body
    assert "行政复议" in letter.body
    letter = sign(letter)
    second = make_application()
    second = services.decide(
        second, actor=handler, outcome="granted", decided_on=date(2026, 3, 20), note=""
    )
    other = sign(second.letters.get())
    assert letter.doc_number.endswith("〕1号")
    assert other.doc_number.endswith("〕2号")
    pdf = render_pdf(letter)
    text = pdfplumber.open(io.BytesIO(pdf)).pages[0].extract_text()
    assert letter.doc_number in text.replace(" ", "")
    assert "第三十七条" in text
    document = docx.Document(io.BytesIO(render_docx(letter)))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert letter.doc_number in paragraphs
    assert "第三十七条" in paragraphs


def test_notices_are_letters_too(make_application, handler, extend):
    app = make_application()
    app = services.start_consultation(
        app,
        actor=handler,
        party="co_maker",
        party_name="示范市民政局",
        received_on=date(2026, 3, 4),
    )
    app = services.record_consultation_reply(app, actor=handler, replied_on=date(2026, 3, 6))
    app = extend(app, 5, "需会商", on=date(2026, 3, 6))
    app = services.send_fee_notice(app, actor=handler, received_on=date(2026, 3, 9), pages=31)
    kinds = {letter.kind: letter for letter in app.letters.all()}
    assert set(kinds) == {"consultation", "extension", "fee"}
    assert "第三十四条" in kinds["consultation"].cited_article
    assert "第三十三条第二款" in kinds["extension"].cited_article
    assert "109号" in kinds["fee"].cited_article
    assert "10元" in kinds["fee"].body


def _draft(make_application, handler):
    app = make_application()
    app = services.decide(
        app, actor=handler, outcome="granted", decided_on=date(2026, 3, 20), note=""
    )
    return app.letters.get()


def test_edit_draft_letter_is_a_new_revision(make_application, handler):
    from gongkai.eventlog.models import Event  # noqa: PLC0415
    from gongkai.signoff.models import RevisionNote  # noqa: PLC0415

    letter = _draft(make_application, handler)
    old = letter.signoff_revision()
    notes = RevisionNote.objects.filter(object_id=letter.pk).count()
    letter = services.edit_letter(
        letter, actor=handler, title="政府信息公开申请答复书", body="经审查，予以公开。\n特此告知。"
    )
    letter.refresh_from_db()
    assert letter.body == "经审查，予以公开。\n特此告知。"
    assert letter.signoff_revision() != old
    assert RevisionNote.objects.filter(object_id=letter.pk).count() == notes + 1
    assert Event.objects.filter(action="applications.letter_edited").count() == 1
    # unchanged text: nothing noted
    services.edit_letter(letter, actor=handler, title=letter.title, body=letter.body)
    assert RevisionNote.objects.filter(object_id=letter.pk).count() == notes + 1


def test_edit_letter_refusals(make_application, handler, agency_admin, sign):
    from gongkai.applications.errors import InvalidInputError, LetterFrozenError  # noqa: PLC0415
    from gongkai.signoff import services as signoff  # noqa: PLC0415
    from gongkai.signoff.errors import DocumentLockedError, NotAuthorError  # noqa: PLC0415

    letter = _draft(make_application, handler)
    with pytest.raises(InvalidInputError):
        services.edit_letter(letter, actor=handler, title="答复书", body="  ")
    with pytest.raises(InvalidInputError):
        services.edit_letter(letter, actor=handler, title="答复书", body="a\x00b")
    with pytest.raises(NotAuthorError):
        services.edit_letter(letter, actor=agency_admin, title="答复书", body="改")
    signed = sign(letter)
    with pytest.raises(LetterFrozenError):
        services.edit_letter(signed, actor=handler, title="答复书", body="改")
    other = _draft(make_application, handler)
    signoff.submit_for_review(other, actor=handler, revision_hash=other.signoff_revision())
    with pytest.raises(DocumentLockedError):
        services.edit_letter(other, actor=handler, title="答复书", body="改")
    other.refresh_from_db()
    assert other.body != "改"
