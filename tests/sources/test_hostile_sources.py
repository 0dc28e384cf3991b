"""Properties: hostile but correctly signed platform webhooks, and hostile import cells, never
crash: a webhook answers 200 or a 4xx with a reason, a cell reads as a value or a ValueError."""

from __future__ import annotations

import hashlib
import json
from zoneinfo import ZoneInfo

from aiohttp.test_utils import TestClient
from hypothesis import given
from hypothesis import strategies as st

from app import import_columns as columns
from tests.hostile import HOSTILE_TEXT, bodies
from tests.sources.platforms import PAYLOADS, haravan_headers, post, shopify_headers, signed_headers, woocommerce_headers

SKELETONS = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in PAYLOADS.glob("*.json")}
SIGNERS = {
    "shopify": lambda body: shopify_headers("orders/updated", body, hashlib.sha256(body).hexdigest()),  # each one new
    "haravan": lambda body: haravan_headers("orders/updated", body),
    "woocommerce": lambda body: woocommerce_headers("order.updated", body),
    "signed": signed_headers,
}
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CELLS = st.one_of(st.text(max_size=30), st.sampled_from(HOSTILE_TEXT), st.integers(), st.floats(allow_nan=False, allow_infinity=False))


@given(platform=st.sampled_from(sorted(SIGNERS)), body=bodies(list(SKELETONS.values())))
async def test_no_signed_hostile_platform_webhook_gets_a_server_error(client: TestClient, platform: str, body: bytes) -> None:
    status, _ = await post(client, platform, body, SIGNERS[platform](body))
    assert status in (200, 400, 413), (platform, body[:200], status)


@given(cell=CELLS)
def test_an_amount_cell_is_whole_vnd_or_a_reason(cell: object) -> None:
    try:
        assert isinstance(columns.vnd(cell), int)
    except ValueError as reason:
        assert str(reason)


@given(cell=CELLS)
def test_a_date_cell_is_an_aware_moment_or_a_reason(cell: object) -> None:
    try:
        found = columns.moment(cell, ZONE)
        assert found is None or found.tzinfo is not None
    except ValueError as reason:
        assert str(reason)


@given(cell=CELLS)
def test_an_items_cell_is_items_or_a_reason(cell: object) -> None:
    try:
        assert all(item["quantity"] >= 0 for item in columns.items(cell))
    except ValueError as reason:
        assert str(reason)
