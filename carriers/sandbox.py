"""The sandbox carrier: a pretend carrier that walks a parcel along one fixed journey.

The demo has no real carrier account, yet its orders should still move so that every
notice (picked up, out for delivery with the courier's phone, delivered) can be seen. Only
the pure part lives here; moving stored orders needs the database and stays with the bot.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import aiohttp

from carriers.models import CanonicalStatus, TrackingEvent
from carriers.returns import PickupBooking, PickupRequest

CARRIER_ID = "sandbox"
JOURNEY = (CanonicalStatus.CONFIRMED, CanonicalStatus.PICKED_UP, CanonicalStatus.IN_TRANSIT,
           CanonicalStatus.OUT_FOR_DELIVERY, CanonicalStatus.DELIVERED)
HUBS = {
    CanonicalStatus.PICKED_UP: "Kho Tân Bình, TP.HCM", CanonicalStatus.IN_TRANSIT: "Trung tâm khai thác Quận 7, TP.HCM",
    CanonicalStatus.OUT_FOR_DELIVERY: "Bưu cục Phú Mỹ Hưng", CanonicalStatus.DELIVERED: "Giao tại nhà",
}
SHIPPER_NAME, SHIPPER_PHONE = "Anh Tuấn", "0901234567"


def next_step(status: str) -> str:
    """The step after `status`; the last step, and anything off the journey, stays put."""
    if status not in JOURNEY[:-1]:
        return status
    return JOURNEY[JOURNEY.index(status) + 1]


def steps_to(status: str) -> tuple[str, ...]:
    """The journey so far, so a seeded order has a believable history up to `status`."""
    return JOURNEY[: JOURNEY.index(status) + 1] if status in JOURNEY else (status,)


def step_event(order_code: str, tracking_code: str | None, status: str, at: datetime) -> TrackingEvent:
    """The carrier event for one step; its id depends on the step only, so replays dedupe."""
    step = CanonicalStatus(status)
    delivering = step == CanonicalStatus.OUT_FOR_DELIVERY
    return TrackingEvent(
        carrier=CARRIER_ID, tracking_code=tracking_code, order_code=order_code, status=step,
        occurred_at=at, raw_code=status, provider_event_id=f"{order_code}:{status}", location=HUBS.get(step),
        shipper_name=SHIPPER_NAME if delivering else None, shipper_phone=SHIPPER_PHONE if delivering else None,
    )


class SandboxReturns:
    """The sandbox carrier's return pickup (carriers.returns.ReturnPickup), for the demo and tests:
    collected tomorrow, a tracking code made from the reference so a retried booking is the same."""

    id = CARRIER_ID

    async def book_return(self, http: aiohttp.ClientSession, request: PickupRequest) -> PickupBooking:
        return PickupBooking(tracking_code=f"SBR{request.reference}", pickup_on=request.today + timedelta(days=1))
