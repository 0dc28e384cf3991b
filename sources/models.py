"""What every source reads a platform's order into: the few facts Haumai keeps of an order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SourceItem:
    name: str
    quantity: int
    price: int  # VND, whole


@dataclass(frozen=True, slots=True)
class SourceOrder:
    """An order (or one of its fulfilments) as the platform shows it; blank fields keep what we had."""

    code: str  # the order name/number the shop shows its customers, '#1001' → '1001'
    object_key: str  # the platform object this describes ("order:450789469", "fulfillment:255858046")
    updated_at: datetime | None = None  # the platform's clock for this object: a stale copy changes nothing
    customer_name: str = ""
    phone: str | None = None
    channel: str | None = None  # the signed source may name the customer's chat
    channel_user_id: str | None = None
    items: tuple[SourceItem, ...] = field(default_factory=tuple)
    total: int = 0
    carrier: str | None = None
    tracking_code: str | None = None
    status: str | None = None  # a CanonicalStatus value, None when the event says nothing of it
    placed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SourceEvent:
    """One webhook delivery: the platform's event id makes a replay a no-op."""

    event_id: str
    topic: str
    order: SourceOrder | None  # None: a topic we do not follow, or a ping; answered 200 and dropped
