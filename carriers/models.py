"""Canonical order statuses and their lifecycle: which reported step moves an order on."""

from __future__ import annotations

from enum import Enum, StrEnum

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
# Moves that look backwards but are real: another delivery attempt after a failed one, a
# parcel back in transit (re-routed), and the journey resuming after an exception (a failed
# pickup picked up after all, a lost parcel found). An exception, which can interrupt any
# step, is one too. Only time tells them from a stale report.
_BACK = {
    (CanonicalStatus.DELIVERY_FAILED, CanonicalStatus.OUT_FOR_DELIVERY),
    (CanonicalStatus.DELIVERY_FAILED, CanonicalStatus.IN_TRANSIT),
    (CanonicalStatus.EXCEPTION, CanonicalStatus.PICKED_UP),
    (CanonicalStatus.EXCEPTION, CanonicalStatus.IN_TRANSIT),
    (CanonicalStatus.EXCEPTION, CanonicalStatus.OUT_FOR_DELIVERY),
}


class Move(Enum):
    """How a reported status relates to the current one in the lifecycle."""

    NONE = "none"  # the same step, an earlier one, or anything after a terminal status
    AHEAD = "ahead"  # a later step: right whatever the clocks say
    BACK = "back"  # a legitimate move back: right only if it happened after the current status


def lifecycle_move(current: str, new: str) -> Move:
    """Where `new` stands relative to `current`, judged by the lifecycle alone (no clocks)."""
    old, candidate = CanonicalStatus(current), CanonicalStatus(new)
    if old == candidate:
        return Move.NONE
    if old in TERMINAL:  # a partial return is the one way on from "delivered"
        return Move.AHEAD if (old, candidate) == (CanonicalStatus.DELIVERED, CanonicalStatus.RETURNING) else Move.NONE
    if candidate == CanonicalStatus.EXCEPTION or (old, candidate) in _BACK:
        return Move.BACK
    if candidate == CanonicalStatus.CANCELLED:
        return Move.AHEAD
    if old == CanonicalStatus.EXCEPTION:
        return Move.AHEAD if _RANK[candidate] > _RANK[CanonicalStatus.OUT_FOR_DELIVERY] else Move.NONE
    return Move.AHEAD if _RANK[candidate] > _RANK[old] else Move.NONE


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
