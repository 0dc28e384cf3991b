"""Admins import the shop's order file in the browser, with the CLI's per-row report."""

from __future__ import annotations

from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient

from tests.importing.files import VIETNAMESE_HEADER, VIETNAMESE_ROWS, csv_text
from tests.inbox.conftest import log_in
from tests.sources.platforms import stored_order

GOOD = csv_text(VIETNAMESE_HEADER, VIETNAMESE_ROWS, ";").encode("utf-8-sig")


async def upload(client: TestClient, csrf: str, content: bytes, query: str = "") -> tuple[int, dict[str, Any]]:
    form = aiohttp.FormData()
    form.add_field("file", content, filename="don-hang.csv", content_type="text/csv")
    response = await client.post(f"/settings/import{query}", data=form,
                                 headers={"X-CSRF-Token": csrf, "Accept": "application/json"})
    return response.status, await response.json()


async def test_an_admin_imports_a_file_and_sees_what_was_created(client: TestClient) -> None:
    csrf = await log_in(client, "chu@shop.vn", role="admin")
    page = await client.get("/settings/import")
    assert page.status == 200 and "Nhập đơn hàng" in await page.text()
    status, report = await upload(client, csrf, GOOD)
    assert status == 200 and (report["rows"], report["created"], report["errors"]) == (2, 2, [])
    assert await stored_order(client, "DH1001") is not None


async def test_a_check_only_upload_reports_and_writes_nothing(client: TestClient) -> None:
    csrf = await log_in(client, "chu@shop.vn", role="admin")
    status, report = await upload(client, csrf, GOOD, "?dry_run=1")
    assert status == 200 and report["dry_run"] is True and report["orders"] == 2
    assert await stored_order(client, "DH1001") is None


async def test_a_broken_file_is_reported_by_line_and_nothing_is_written(client: TestClient) -> None:
    csrf = await log_in(client, "chu@shop.vn", role="admin")
    broken = "Mã đơn;SĐT\nDH1;0987654321\nDH2;12345\n".encode()
    status, report = await upload(client, csrf, broken)
    assert status == 422 and [error["line"] for error in report["errors"]] == [3]
    assert "customer.phone" in report["errors"][0]["reason"]
    assert await stored_order(client, "DH1") is None


async def test_agents_cannot_import(client: TestClient) -> None:
    csrf = await log_in(client, "lan@shop.vn")
    status, _ = await upload(client, csrf, GOOD)
    assert status == 403
