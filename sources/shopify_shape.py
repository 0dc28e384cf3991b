"""Orders and fulfilments in Shopify's REST shape, which Haravan follows too.

Shopify: https://shopify.dev/docs/api/admin-rest/latest/resources/order and
…/resources/fulfillment (webhook payloads are these resources). A fulfilment's `name` is the
order's name, a dot and the fulfilment's number ("#1001.1"), so it names its order's code.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sources.amounts import whole_vnd
from sources.carrier_names import carrier_id
from sources.models import SourceItem, SourceOrder
from untrusted.fields import MAX_INT, Moment

SHIPMENT_STATUS = {  # Fulfillment.shipment_status → CanonicalStatus
    "label_printed": "confirmed", "label_purchased": "confirmed", "confirmed": "confirmed",
    "in_transit": "in_transit", "ready_for_pickup": "out_for_delivery", "out_for_delivery": "out_for_delivery",
    "attempted_delivery": "delivery_failed", "failure": "delivery_failed", "delivered": "delivered",
}


class Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Person(Lenient):
    first_name: str | None = Field(default=None, max_length=200)
    last_name: str | None = Field(default=None, max_length=200)
    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)

    @property
    def full_name(self) -> str:
        return self.name or " ".join(p for p in (self.last_name, self.first_name) if p)  # Vietnamese order


class LineItem(Lenient):
    title: str = Field(default="", max_length=300)
    name: str = Field(default="", max_length=300)
    quantity: int = Field(default=1, ge=0, le=100_000)
    price: str | float | None = None


class Fulfillment(Lenient):
    id: int = Field(ge=0, le=MAX_INT)
    order_id: int | None = Field(default=None, ge=0, le=MAX_INT)
    name: str | None = Field(default=None, max_length=80)
    status: str | None = Field(default=None, max_length=40)
    shipment_status: str | None = Field(default=None, max_length=40)
    tracking_company: str | None = Field(default=None, max_length=100)
    tracking_number: str | None = Field(default=None, max_length=64)
    updated_at: Moment | None = None


class ShopifyOrder(Lenient):
    id: int = Field(ge=0, le=MAX_INT)
    name: str = Field(min_length=1, max_length=64)
    phone: str | None = Field(default=None, max_length=40)
    customer: Person | None = None
    shipping_address: Person | None = None
    billing_address: Person | None = None
    line_items: list[LineItem] = Field(default_factory=list, max_length=500)
    total_price: str | float | None = None
    cancelled_at: Moment | None = None
    created_at: Moment | None = None
    updated_at: Moment | None = None
    fulfillments: list[Fulfillment] = Field(default_factory=list, max_length=100)


def order_code(name: str) -> str:
    """'#1001' → '1001': the number as the shop shows it, without the '#' the platform adds."""
    return name.strip().lstrip("#").strip()


def fulfilment_status(fulfillment: Fulfillment) -> str | None:
    if fulfillment.status in ("cancelled", "failure", "error"):
        return None
    if fulfillment.shipment_status in SHIPMENT_STATUS:
        return SHIPMENT_STATUS[fulfillment.shipment_status]
    return "picked_up" if fulfillment.status == "success" else None  # handed to the carrier


def from_order(order: ShopifyOrder) -> SourceOrder:
    people = [p for p in (order.shipping_address, order.customer, order.billing_address) if p is not None]
    phone = order.phone or next((p.phone for p in people if p.phone), None)
    latest = order.fulfillments[-1] if order.fulfillments else None
    status = "cancelled" if order.cancelled_at else (fulfilment_status(latest) if latest else None)
    return SourceOrder(
        code=order_code(order.name), object_key=f"order:{order.id}", updated_at=order.updated_at,
        customer_name=next((p.full_name for p in people if p.full_name), ""), phone=phone,
        items=tuple(SourceItem(i.title or i.name, i.quantity, whole_vnd(i.price)) for i in order.line_items if i.quantity),
        total=whole_vnd(order.total_price), status=status, placed_at=order.created_at,
        carrier=carrier_id(latest.tracking_company) if latest else None,
        tracking_code=latest.tracking_number if latest else None,
    )


def from_fulfillment(fulfillment: Fulfillment, code: str) -> SourceOrder:
    return SourceOrder(
        code=code, object_key=f"fulfillment:{fulfillment.id}", updated_at=fulfillment.updated_at,
        carrier=carrier_id(fulfillment.tracking_company), tracking_code=fulfillment.tracking_number,
        status=fulfilment_status(fulfillment),
    )


def fulfillment_code(fulfillment: Fulfillment) -> str | None:
    """The order's code from the fulfilment's name ("#1001.1" → "1001")."""
    if not fulfillment.name or "." not in fulfillment.name:
        return None
    return order_code(fulfillment.name.rsplit(".", 1)[0]) or None
