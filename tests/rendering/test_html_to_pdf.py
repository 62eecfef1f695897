"""HTML → PDF: Chinese text survives, output is deterministic, nothing is fetched."""

from __future__ import annotations

from datetime import UTC, datetime

import pypdfium2

from gongkai.rendering.pdf import html_to_pdf


def text_of(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_chinese_text_and_page_numbers_are_in_the_pdf() -> None:
    pdf = html_to_pdf("<h1>政府信息公开申请答复告知书</h1><p>根据《条例》第三十六条第（二）项</p>")
    text = text_of(pdf)
    assert "政府信息公开申请答复告知书" in text
    assert "第三十六条第（二）项" in text
    assert "第 1 页 共 1 页" in text


def test_same_html_gives_the_same_bytes() -> None:
    html = "<p>示范市信访局</p>" * 40
    created = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
    assert html_to_pdf(html, created=created) == html_to_pdf(html, created=created)
    assert html_to_pdf(html) != html_to_pdf(html + "<p>另一份</p>")


def test_no_file_or_network_is_read(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("不应出现的内容", encoding="utf-8")
    html = (
        f'<p>正文</p><img src="file://{secret}"><img src="http://127.0.0.1:9/x.png">'
        f'<link rel="stylesheet" href="file://{secret}">'
    )
    text = text_of(html_to_pdf(html))
    assert "正文" in text
    assert "不应出现" not in text


def test_rendering_runs_without_django() -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = (
        "import sys\n"
        "from gongkai.rendering.pdf import html_to_pdf\n"
        "html_to_pdf('<p>示范</p>')\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"
