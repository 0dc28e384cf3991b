"""Shopify and Haravan: the same order model, each with its own headers.

Shopify (https://shopify.dev/docs/apps/build/webhooks/subscribe/https): `X-Shopify-Topic`,
`X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(app secret, raw body)), `X-Shopify-Event-Id`
(the same for every delivery of one event; `X-Shopify-Webhook-Id` on older API versions) to
deduplicate. Pull: GET /admin/api/{version}/orders.json?updated_at_min=…, `Link` pages.

Haravan (https://docs.haravan.com/docs/tutorials/webhooks/private-webhook/): the topic, and
`X-Haravan-Hmacsha256` = base64(HMAC-SHA256(webhook secret, raw body)); no delivery id is
documented, so a replayed body (same bytes) is the duplicate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

import aiohttp

from sources.base import MalformedOrder, SourceUnavailable
from sources.models import SourceEvent, SourceOrder
from sources.shopify_shape import Fulfillment, ShopifyOrder, from_fulfillment, from_order, fulfillment_code
from sources.reading import readable
from sources.signing import check_base64, require_secret
from untrusted.documents import load_object, validate

ORDER_TOPICS = {"orders/create", "orders/updated", "orders/cancelled", "orders/paid", "orders/fulfilled"}
FULFILLMENT_TOPICS = {"fulfillments/create", "fulfillments/update"}
PAGE_SIZE = 250
MAX_PAGES = 40  # 10,000 orders per poll; the cursor moves on and the next poll takes the rest


@dataclass(frozen=True)
class Headers:
    topic: str
    signature: str
    event_ids: tuple[str, ...]  # the first present identifies the event; none: the body's digest


SHOPIFY = Headers("X-Shopify-Topic", "X-Shopify-Hmac-Sha256", ("X-Shopify-Event-Id", "X-Shopify-Webhook-Id"))
HARAVAN = Headers("X-Haravan-Topic", "X-Haravan-Hmacsha256", ())


def event_id(headers: Mapping[str, str], names: tuple[str, ...], body: bytes) -> str:
    given = next((headers[n].strip() for n in names if headers.get(n, "").strip()), None)
    return given[:200] if given else "sha256:" + hashlib.sha256(body).hexdigest()


def read_event(topic: str, ident: str, body: bytes) -> SourceEvent:
    """A Shopify-shaped delivery: an order topic, a fulfilment topic, or one we do not follow."""
    if topic in ORDER_TOPICS:
        order = validate(ShopifyOrder, load_object(body), f"{topic} order")
        return SourceEvent(ident, topic, from_order(order))
    if topic in FULFILLMENT_TOPICS:
        fulfillment = validate(Fulfillment, load_object(body), f"{topic} fulfillment")
        code = fulfillment_code(fulfillment)
        if code is None:
            raise MalformedOrder("the fulfillment has no name, so its order is unknown")
        return SourceEvent(ident, topic, from_fulfillment(fulfillment, code))
    return SourceEvent(ident, topic, None)


class ShopifyLike:
    """One adapter, two platforms: Shopify's headers or Haravan's, the same payloads."""

    def __init__(self, platform: str, headers: Headers, secret: str | None, *,
                 api_base: str | None = None, access_token: str | None = None, api_version: str = "2025-07") -> None:
        self.id = platform
        self._headers = headers
        self._secret = secret
        self._api_base = api_base.rstrip("/") if api_base else None
        self._token = access_token
        self._version = api_version
        self.can_pull = bool(self._api_base and self._token)

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        check_base64(headers, self._headers.signature, require_secret(self._secret, self.id), body)

    def parse(self, headers: Mapping[str, str], body: bytes) -> SourceEvent:
        topic = headers.get(self._headers.topic, "").strip().lower()
        return read_event(topic, event_id(headers, self._headers.event_ids, body), body)

    async def pull(self, http: aiohttp.ClientSession, since: datetime) -> list[SourceOrder]:
        """Orders updated since the cursor, every status, following the `Link: rel="next"` pages."""
        url: str | None = f"{self._api_base}/admin/api/{self._version}/orders.json"
        params: dict[str, str] | None = {
            "status": "any", "limit": str(PAGE_SIZE), "order": "updated_at asc",
            "updated_at_min": since.astimezone(timezone.utc).isoformat(),
        }
        found: list[SourceOrder] = []
        for _ in range(MAX_PAGES):
            if url is None:
                break
            document, url = await self._page(http, url, params)
            params = None  # the next page's URL carries its own page_info
            found += [from_order(o) for o in readable(ShopifyOrder, _orders(document))]
        return sorted(found, key=lambda o: o.updated_at or since)

    async def _page(self, http: aiohttp.ClientSession, url: str,
                    params: dict[str, str] | None) -> tuple[Any, str | None]:
        headers = {"X-Shopify-Access-Token": self._token or "", "Accept": "application/json"}
        try:
            async with http.get(url, params=params, headers=headers, timeout=aiohttp.ClientTimeout(total=15)) as response:
                if response.status != 200:
                    raise SourceUnavailable(f"{self.id} answered {response.status}")
                following = response.links.get("next")
                return load_object(await response.read()), str(following["url"]) if following else None
        except (aiohttp.ClientError, TimeoutError) as failure:
            raise SourceUnavailable(f"{self.id} unreachable: {type(failure).__name__}") from None


def _orders(document: dict[str, Any]) -> list[Any]:
    orders = document.get("orders")
    if not isinstance(orders, list):
        raise SourceUnavailable("the orders list is missing from the answer")
    return orders
