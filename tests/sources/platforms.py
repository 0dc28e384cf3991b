"""How each platform signs and posts its webhooks, written from its documentation (not our code)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.orders import order_by_code
from bot.storage.models import Order, SourceEventRecord
from tests.apps import runtime_of

PAYLOADS = Path(__file__).resolve().parent.parent / "payloads" / "sources"
SECRETS = {"shopify": "shpss_0123456789abcdef", "haravan": "haravan-webhook-secret", "woocommerce": "wc-secret-42",
           "signed": "erp-shared-secret"}


def payload(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def base64_hmac(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def shopify_headers(topic: str, body: bytes, event_id: str, secret: str = SECRETS["shopify"]) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Shopify-Topic": topic, "X-Shopify-Hmac-Sha256": base64_hmac(secret, body),
            "X-Shopify-Shop-Domain": "tiem-nha-may.myshopify.com", "X-Shopify-API-Version": "2025-07",
            "X-Shopify-Webhook-Id": f"wh-{event_id}", "X-Shopify-Event-Id": event_id}


def haravan_headers(topic: str, body: bytes) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Haravan-Topic": topic, "X-Haravan-Org-Id": "200000123456",
            "X-Haravan-Hmacsha256": base64_hmac(SECRETS["haravan"], body)}


def woocommerce_headers(topic: str, body: bytes, delivery: str = "1") -> dict[str, str]:
    resource, event = topic.split(".")
    return {"Content-Type": "application/json", "X-WC-Webhook-Source": "https://shop.example/", "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource, "X-WC-Webhook-Event": event, "X-WC-Webhook-ID": "12",
            "X-WC-Webhook-Delivery-ID": delivery, "X-WC-Webhook-Signature": base64_hmac(SECRETS["woocommerce"], body)}


def signed_headers(body: bytes) -> dict[str, str]:
    digest = hmac.new(SECRETS["signed"].encode(), body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Haumai-Signature": f"sha256={digest}"}


async def post(client: TestClient, platform: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    response = await client.post(f"/sources/{platform}/webhook", data=body, headers=headers)
    return response.status, await response.json()


async def stored_order(client: TestClient, code: str) -> Order | None:
    async with runtime_of(client).sessions() as session:
        return await order_by_code(session, code)


async def events_stored(client: TestClient) -> int:
    async with runtime_of(client).sessions() as session:
        return await session.scalar(select(func.count()).select_from(SourceEventRecord)) or 0
