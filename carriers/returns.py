"""Return pickups behind the carrier interface: a carrier that documents a return/pickup API
books the customer's return parcel and hands back its tracking code.

A carrier without one is not asked; staff then enter the return tracking code themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

import aiohttp


@dataclass(frozen=True, slots=True)
class PickupRequest:
    reference: str  # ours: unique per return request, so a retried booking is the same booking
    order_code: str
    customer_name: str
    phone: str | None
    items: tuple[str, ...]
    today: date


@dataclass(frozen=True, slots=True)
class PickupBooking:
    tracking_code: str
    pickup_on: date


class ReturnPickup(Protocol):
    id: str

    async def book_return(self, http: aiohttp.ClientSession, request: PickupRequest) -> PickupBooking:
        """Book a courier to collect the parcel from the customer; CarrierUnavailable when it cannot be asked."""
