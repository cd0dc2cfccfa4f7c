"""Exports from the app: a button, a visible "preparing" status, a real file."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from canvas.format import store

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("fmt", ["md", "png"])
def test_export_button_downloads_the_session(board_page, fresh_session, tmp_path, fmt):
    page = board_page.open(fresh_session.url)
    with page.expect_download() as info:
        page.locator(f'.thc-export button[data-format="{fmt}"]').click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.suffix == f".{fmt}"
    data = target.read_bytes()
    if fmt == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    else:
        text = data.decode("utf-8")
        for anchor in store.load(fresh_session.path).anchors.values():
            assert anchor.title in text
    expect(page.locator(".thc-export [role=status]")).to_contain_text("is ready")
    board_page.assert_clean()
