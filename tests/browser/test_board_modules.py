"""The server hands out the board's modules as files a browser may keep for good."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from canvas.view import board

pytestmark = pytest.mark.browser


def test_the_server_serves_the_modules_under_their_version(board_server):
    url, _home = board_server
    address = f"{url}/{board.MODULE_ROUTE}/{board.VERSION}/main.js"
    with urllib.request.urlopen(address, timeout=5) as response:
        assert response.status == 200
        assert "javascript" in response.headers["Content-Type"]
        assert "immutable" in response.headers["Cache-Control"]
        assert b"export function mount" in response.read()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{url}/{board.MODULE_ROUTE}/{board.VERSION}/../board.py", timeout=5)
    assert refused.value.code in (403, 404)
