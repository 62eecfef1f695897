"""A visitor browses the demo portal by links only: home → the bureau's 专栏 → a column → an item
→ its attachment, which downloads as the file that was published."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_home_agency_column_item_attachment(page, demo_site, shots):
    page.goto(f"{demo_site}/")
    page.locator(".agency-list a", has_text="示范市信访局").click()
    page.wait_for_url("**/agencies/*/")
    assert "示范市信访局政府信息公开专栏" in page.locator("h1").inner_text()
    page.locator(".column-tree a", has_text="政策解读").click()
    page.wait_for_url("**/columns/*/")
    page.locator(".item-list a", has_text="图解：信访事项办理流程").click()
    page.wait_for_url("**/items/*/")
    catalogue = page.locator(".catalogue").inner_text()
    for label in ("索引号", "发布机构", "发布日期", "主题分类"):
        assert label in catalogue
    page.screenshot(path=shots / "portal-item-1280.png", full_page=True)
    with page.expect_download() as download:
        page.locator(".attachments a", has_text="信访事项办理流程图.pdf").click()
    path = download.value.path()
    assert download.value.suggested_filename == "信访事项办理流程图.pdf"
    with open(path, "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    assert b"Petition handling flow (demo)" in data
