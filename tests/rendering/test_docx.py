"""Saved DOCX bytes depend on the content and the given time only, never on the clock."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import docx

from gongkai.rendering.docx import fixed_zip, save

WHEN = datetime(2026, 1, 31, 9, 30)


def _zip(stamp: tuple[int, int, int, int, int, int]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("word/document.xml", date_time=stamp), b"<w:document/>")
    return out.getvalue()


def test_entries_saved_at_different_times_give_the_same_bytes():
    early, late = _zip((2026, 12, 2, 16, 0, 0)), _zip((2026, 12, 2, 16, 0, 2))
    assert early != late
    assert fixed_zip(early, WHEN) == fixed_zip(late, WHEN)
    assert zipfile.ZipFile(io.BytesIO(fixed_zip(early, WHEN))).infolist()[0].date_time == (
        2026, 1, 31, 9, 30, 0,
    )  # fmt: skip


def test_a_document_saved_twice_is_the_same_and_carries_the_given_time():
    def build() -> bytes:
        document = docx.Document()
        document.add_paragraph("政府信息公开")
        return save(document, title="告知书", author="Gongkai", when=WHEN)

    first = build()
    assert build() == first
    props = docx.Document(io.BytesIO(first)).core_properties
    assert (props.title, props.author) == ("告知书", "Gongkai")
    assert props.modified.replace(tzinfo=None) == WHEN
