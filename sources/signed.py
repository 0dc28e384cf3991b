"""A signed JSON webhook for any other system: Haumai's own order shape, HMAC over the raw body.

Header `X-Haumai-Signature: sha256=<hex HMAC-SHA256(HAUMAI_SIGNED_WEBHOOK_SECRET, raw body)>`
(what `openssl dgst -sha256 -hmac SECRET` prints). Body:

    {"event_id": "evt-1", "updated_at": "2026-12-01T09:00:00+07:00",
     "order": {"code": "DH1001", "customer": {"name": "Chị Lan", "phone": "0987654321"},
               "items": [{"name": "Áo thun", "quantity": 2, "price": 150000}], "total": 300000,
               "carrier": "ghn", "tracking_code": "GAN6D8A9", "status": "picked_up"}}

`event_id` makes a resend a no-op; `updated_at`, when given, makes an older copy change nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Mapping

import aiohttp
from pydantic import BaseModel, ConfigDict, Field

from sources.models import SourceEvent, SourceItem, SourceOrder
from sources.signing import check_hex, require_secret
from untrusted.documents import parse
from untrusted.fields import MAX_INT, Moment

HEADER = "X-Haumai-Signature"


class Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Customer(Strict):
    name: str = Field(default="", max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    channel: str | None = Field(default=None, max_length=20)
    channel_user_id: str | None = Field(default=None, max_length=128)


class Item(Strict):
    name: str = Field(min_length=1, max_length=300)
    quantity: int = Field(ge=1, le=100_000)
    price: int = Field(ge=0, le=MAX_INT)


class Order(Strict):
    code: str = Field(min_length=1, max_length=64)
    customer: Customer = Field(default_factory=Customer)
    items: list[Item] = Field(default_factory=list, max_length=500)
    total: int = Field(default=0, ge=0, le=MAX_INT)
    carrier: str | None = Field(default=None, max_length=20)
    tracking_code: str | None = Field(default=None, max_length=64)
    status: str | None = Field(default=None, max_length=20)
    placed_at: Moment | None = None


class Delivery(Strict):
    event_id: str = Field(min_length=1, max_length=200)
    updated_at: Moment | None = None
    order: Order


class SignedSource:
    id = "signed"
    can_pull = False

    def __init__(self, secret: str | None) -> None:
        self._secret = secret

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        check_hex(headers, HEADER, require_secret(self._secret, self.id), body)

    def parse(self, headers: Mapping[str, str], body: bytes) -> SourceEvent:
        delivery = parse(Delivery, body, "signed order event")
        order = delivery.order
        return SourceEvent(delivery.event_id, "order", SourceOrder(
            code=order.code.lstrip("#"), object_key=f"order:{order.code}", updated_at=delivery.updated_at,
            customer_name=order.customer.name, phone=order.customer.phone, channel=order.customer.channel,
            channel_user_id=order.customer.channel_user_id,
            items=tuple(SourceItem(i.name, i.quantity, i.price) for i in order.items), total=order.total,
            carrier=order.carrier, tracking_code=order.tracking_code, status=order.status, placed_at=order.placed_at,
        ))

    async def pull(self, http: aiohttp.ClientSession, since: datetime) -> list[SourceOrder]:
        return []
