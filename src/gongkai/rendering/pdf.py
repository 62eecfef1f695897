"""HTML → PDF through WeasyPrint, with the Noto CJK fonts of Debian's fonts-noto-cjk embedded.

Letters (告知书), registration forms (审核登记表), rectification notices and annual reports are
all rendered here, so page size, fonts and determinism are decided once. The same HTML gives the
same bytes: the PDF identifier is derived from the content and no creation time is written
unless the caller passes one (an annual report frozen at a recorded time passes that time).
No network or file access: the URL fetcher allows only ``data:`` URIs, so a template (or text a
user typed into one) can never make the renderer read a local file or fetch from the web; a
refused image is left out of the page.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

# The fonts a Chinese official document uses, in order of preference; Noto ships with Debian.
SERIF = '"Noto Serif CJK SC", "Noto Serif CJK", "Source Han Serif SC", serif'
SANS = '"Noto Sans CJK SC", "Noto Sans CJK", "Source Han Sans SC", sans-serif'

BASE_CSS = f"""
@page {{
  size: A4;
  margin: 25mm 22mm 22mm 22mm;
  @bottom-center {{ content: "第 " counter(page) " 页 共 " counter(pages) " 页";
                    font-family: {SANS}; font-size: 9pt; color: #444; }}
}}
html {{ font-family: {SERIF}; font-size: 12pt; line-height: 1.6; color: #000; }}
h1, h2, h3, th {{ font-family: {SANS}; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 0.6pt solid #000; padding: 2pt 4pt; vertical-align: middle; }}
"""


class RenderError(Exception):
    """The document could not be rendered (bad HTML is not an error; a missing engine is)."""


def html_to_pdf(
    html: str,
    *,
    title: str = "",
    created: datetime | None = None,
    extra_css: str = "",
    page_numbers: bool = True,
) -> bytes:
    """Render ``html`` (a whole document or a fragment) to PDF bytes."""
    try:
        import weasyprint  # noqa: PLC0415  (heavy import, only when a PDF is wanted)
    except ImportError as exc:  # pragma: no cover - a broken install, not user input
        raise RenderError("未安装 WeasyPrint，无法生成 PDF。") from exc

    css = BASE_CSS if page_numbers else BASE_CSS.replace("@bottom-center", "@bottom-left-corner")
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url="about:blank")
    stylesheets = [weasyprint.CSS(string=css + extra_css)]
    identifier = hashlib.sha256((html + extra_css).encode("utf-8")).hexdigest()[:32].encode()
    rendered = document.render(stylesheets=stylesheets)
    rendered.metadata.title = title or rendered.metadata.title
    rendered.metadata.created = created.isoformat() if created else None
    rendered.metadata.modified = created.isoformat() if created else None
    rendered.metadata.generator = "Gongkai"
    return rendered.write_pdf(pdf_identifier=identifier)
