"""WeasyPrint's layout replaced by a constant, for tests whose subject is access, not the document.

Laying out a page of Chinese text takes WeasyPrint a second or more; an archive ZIP renders a
dozen. A permission or hostile-input test only needs the view to run exactly as it does in
production — the access function, the query, the template (rendered to HTML for real), the
event it logs — up to the point where the HTML becomes a PDF. ``cheap_pdf()`` stubs only that
last step: ``weasyprint.HTML(...)`` still parses the HTML the view built, but ``render()`` and
``write_pdf()`` return a fixed few bytes. Every PDF view is also rendered for real elsewhere
(tests/applications/, tests/supervision/, tests/disclosure/, tests/annual/, tests/rendering/).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any
from unittest import mock

FAKE_PDF = b"%PDF-1.7\n% layout skipped: tests/cheap_pdf.py\n%%EOF\n"


class _FakeDocument:
    def __init__(self) -> None:
        self.metadata = SimpleNamespace(title=None, created=None, modified=None, generator=None)

    def write_pdf(self, target: Any = None, **_: Any) -> bytes:
        assert target is None, "cheap_pdf only fakes PDFs returned as bytes"
        return FAKE_PDF


def _render(self: Any, *args: Any, **kwargs: Any) -> _FakeDocument:
    return _FakeDocument()


def _write_pdf(self: Any, target: Any = None, **_: Any) -> bytes:
    assert target is None, "cheap_pdf only fakes PDFs returned as bytes"
    return FAKE_PDF


@contextmanager
def cheap_pdf() -> Iterator[None]:
    import weasyprint  # noqa: PLC0415  (heavy import, only when a test asks for it)

    with (
        mock.patch.object(weasyprint.HTML, "render", _render),
        mock.patch.object(weasyprint.HTML, "write_pdf", _write_pdf),
    ):
        yield
