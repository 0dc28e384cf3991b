"""Canonical order statuses and the rule that keeps a timeline from moving backwards."""

from __future__ import annotations

from enum import StrEnum

from pydantic.dataclasses import dataclass

from untrusted.fields import Code, Day, Moment, ShortText, Text


class CanonicalStatus(StrEnum):
    CREATED = "created"
    CONFIRMED = "confirmed"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERY_FAILED = "delivery_failed"
    DELIVERED = "delivered"
    RETURNING = "returning"
    RETURNED = "returned"
    CANCELLED = "cancelled"
    EXCEPTION = "exception"


_RANK = {
    CanonicalStatus.CREATED: 0,
    CanonicalStatus.CONFIRMED: 1,
    CanonicalStatus.PICKED_UP: 2,
    CanonicalStatus.IN_TRANSIT: 3,
    CanonicalStatus.OUT_FOR_DELIVERY: 4,
    CanonicalStatus.DELIVERY_FAILED: 5,
    CanonicalStatus.DELIVERED: 6,
    CanonicalStatus.RETURNING: 6,
    CanonicalStatus.RETURNED: 7,
    CanonicalStatus.CANCELLED: 7,
}
TERMINAL = frozenset({CanonicalStatus.DELIVERED, CanonicalStatus.RETURNED, CanonicalStatus.CANCELLED})
# Moves that look backwards but are real: another delivery attempt after a failed one, and
# a parcel coming back into transit (re-routed) after a failed attempt.
_CYCLES = {
    (CanonicalStatus.DELIVERY_FAILED, CanonicalStatus.OUT_FOR_DELIVERY),
    (CanonicalStatus.DELIVERY_FAILED, CanonicalStatus.IN_TRANSIT),
    (CanonicalStatus.EXCEPTION, CanonicalStatus.IN_TRANSIT),
    (CanonicalStatus.EXCEPTION, CanonicalStatus.OUT_FOR_DELIVERY),
}


def is_progress(current: str | None, new: str) -> bool:
    """Whether `new` may replace `current` as the order's status."""
    if current is None or current == CanonicalStatus.CREATED:
        return True
    old, candidate = CanonicalStatus(current), CanonicalStatus(new)
    if old == candidate:
        return False
    if old in TERMINAL:
        return old == CanonicalStatus.DELIVERED and candidate == CanonicalStatus.RETURNING
    if candidate in (CanonicalStatus.EXCEPTION, CanonicalStatus.CANCELLED) or (old, candidate) in _CYCLES:
        return True
    if old == CanonicalStatus.EXCEPTION:
        return _RANK[candidate] >= _RANK[CanonicalStatus.OUT_FOR_DELIVERY]
    return _RANK[candidate] > _RANK[old]


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    """One carrier event, mapped to the canonical status (None: an info event).

    Validated on construction (pydantic): whatever a carrier's payload held, an event that
    reaches storage has text of bounded size without NUL and a moment in a sane range.
    """

    carrier: str
    tracking_code: Code | None
    status: CanonicalStatus | None
    occurred_at: Moment
    raw_code: ShortText
    provider_event_id: str
    order_code: Code | None = None
    detail: str | None = None
    description: Text = ""
    location: ShortText | None = None
    shipper_name: ShortText | None = None
    shipper_phone: ShortText | None = None
    eta: Day | None = None
    awaiting_shop_decision: bool = False
