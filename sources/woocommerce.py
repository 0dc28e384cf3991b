"""WooCommerce: `order.created` / `order.updated` webhooks and the REST API's orders.

Webhooks (https://woocommerce.com/document/webhooks/, and WC_Webhook::generate_signature):
`X-WC-Webhook-Topic`, `X-WC-Webhook-Signature` = base64(HMAC-SHA256(secret, raw body)). A
delivery's id is not kept across a manual resend, so a replay is recognised by its bytes.
Orders follow https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties;
the carrier and tracking code come from the Shipment Tracking extension's
`_wc_shipment_tracking_items` meta, when the shop uses it. Pull: GET /wp-json/wc/v3/orders
?modified_after=…&orderby=modified&order=asc, basic auth with the REST key and secret.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any, Mapping

import aiohttp
from pydantic import BaseModel, ConfigDict, Field

from sources.amounts import whole_vnd
from sources.base import SourceUnavailable
from sources.carrier_names import carrier_id
from sources.models import SourceEvent, SourceItem, SourceOrder
from sources.reading import readable
from sources.signing import check_base64, require_secret
from untrusted.documents import load, load_object, validate
from untrusted.fields import MAX_INT

TOPICS = {"order.created", "order.updated", "order.restored"}
STATUS = {"pending": "created", "processing": "confirmed", "completed": "picked_up", "cancelled": "cancelled"}
TRACKING_META = "_wc_shipment_tracking_items"
PAGE_SIZE, MAX_PAGES = 100, 40


class Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Address(Lenient):
    first_name: str = Field(default="", max_length=200)
    last_name: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)


class LineItem(Lenient):
    name: str = Field(default="", max_length=300)
    quantity: int = Field(default=1, ge=0, le=100_000)
    price: float | str | None = None


class Meta(Lenient):
    key: str = Field(default="", max_length=200)
    value: Any = None


class WooOrder(Lenient):
    id: int = Field(ge=0, le=MAX_INT)
    number: str = Field(default="", max_length=64)
    status: str = Field(default="", max_length=40)
    total: str | float | None = None
    billing: Address = Field(default_factory=Address)
    shipping: Address = Field(default_factory=Address)
    line_items: list[LineItem] = Field(default_factory=list, max_length=500)
    meta_data: list[Meta] = Field(default_factory=list, max_length=500)
    date_created_gmt: datetime | None = None
    date_modified_gmt: datetime | None = None


def _utc(moment: datetime | None) -> datetime | None:
    """WooCommerce writes its `_gmt` times without an offset: they are UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


def _tracking(order: WooOrder) -> tuple[str | None, str | None]:
    items = next((m.value for m in order.meta_data if m.key == TRACKING_META), None)
    if not isinstance(items, list) or not items or not isinstance(items[-1], dict):
        return None, None
    latest = items[-1]
    provider = str(latest.get("custom_tracking_provider") or latest.get("tracking_provider") or "")[:100]
    number = str(latest.get("tracking_number") or "")[:64] or None
    return carrier_id(provider), number


def from_order(order: WooOrder) -> SourceOrder:
    person = order.shipping if order.shipping.first_name or order.shipping.last_name else order.billing
    carrier, tracking = _tracking(order)
    return SourceOrder(
        code=(order.number or str(order.id)).lstrip("#"), object_key=f"order:{order.id}",
        updated_at=_utc(order.date_modified_gmt), placed_at=_utc(order.date_created_gmt),
        customer_name=" ".join(p for p in (person.last_name, person.first_name) if p),
        phone=order.shipping.phone or order.billing.phone or None,
        items=tuple(SourceItem(i.name, i.quantity, whole_vnd(i.price)) for i in order.line_items if i.quantity),
        total=whole_vnd(order.total), carrier=carrier, tracking_code=tracking, status=STATUS.get(order.status),
    )


class WooCommerceSource:
    id = "woocommerce"

    def __init__(self, secret: str | None, *, store_url: str | None = None,
                 consumer_key: str | None = None, consumer_secret: str | None = None) -> None:
        self._secret = secret
        self._store = store_url.rstrip("/") if store_url else None
        self._auth = aiohttp.encode_basic_auth(consumer_key, consumer_secret) if consumer_key and consumer_secret else None
        self.can_pull = bool(self._store and self._auth)

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        check_base64(headers, "X-WC-Webhook-Signature", require_secret(self._secret, self.id), body)

    def parse(self, headers: Mapping[str, str], body: bytes) -> SourceEvent:
        topic = headers.get("X-WC-Webhook-Topic", "").strip().lower()
        ident = "sha256:" + hashlib.sha256(body).hexdigest()
        if topic not in TOPICS:  # the ping sent when a webhook is saved, or a topic we do not follow
            return SourceEvent(ident, topic or "ping", None)
        return SourceEvent(ident, topic, from_order(validate(WooOrder, load_object(body), f"{topic} order")))

    async def pull(self, http: aiohttp.ClientSession, since: datetime) -> list[SourceOrder]:
        found: list[SourceOrder] = []
        for page in range(1, MAX_PAGES + 1):
            orders, pages = await self._page(http, since, page)
            found += [from_order(o) for o in orders]
            if page >= pages:
                break
        return found

    async def _page(self, http: aiohttp.ClientSession, since: datetime, page: int) -> tuple[list[WooOrder], int]:
        params = {"modified_after": since.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"), "dates_are_gmt": "true",
                  "orderby": "modified", "order": "asc", "per_page": str(PAGE_SIZE), "page": str(page)}
        try:
            async with http.get(f"{self._store}/wp-json/wc/v3/orders", params=params, headers={"Authorization": self._auth or ""},
                                timeout=aiohttp.ClientTimeout(total=15)) as response:
                if response.status != 200:
                    raise SourceUnavailable(f"woocommerce answered {response.status}")
                document, pages = load(await response.read()), int(response.headers.get("X-WP-TotalPages", "1") or 1)
        except (aiohttp.ClientError, TimeoutError, ValueError) as failure:
            raise SourceUnavailable(f"woocommerce unreachable: {type(failure).__name__}") from None
        if not isinstance(document, list):
            raise SourceUnavailable("woocommerce did not answer a list of orders")
        return readable(WooOrder, document), pages
