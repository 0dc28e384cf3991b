"""Personal thank-you coupons: unguessable yet easy to read aloud or type on a phone."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import Coupon, Order

# No 0/O, 1/I/L: a customer reading the code from a phone screen cannot confuse them.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_CHARS = 8  # 31^8 ≈ 8.5e11 codes: guessing one is hopeless


def new_code(prefix: str = "CAMON") -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return f"{prefix}-{body[:4]}-{body[4:]}"


async def issue_for(
    session: AsyncSession, order: Order, *, percent: int, valid: timedelta, now: datetime
) -> Coupon:
    """The order's coupon, created once (a re-planned thank-you reuses it)."""
    await session.execute(
        insert_ignoring_conflicts(session, Coupon).values(
            code=new_code(), contact_id=order.contact_id, order_id=order.id,
            percent=percent, issued_at=now, expires_at=now + valid,
        )
    )
    coupon = await session.scalar(select(Coupon).where(Coupon.order_id == order.id))
    assert coupon is not None
    return coupon


async def valid_coupons(session: AsyncSession, contact_id: int, now: datetime) -> list[Coupon]:
    result = await session.scalars(
        select(Coupon)
        .where(Coupon.contact_id == contact_id, Coupon.redeemed_at.is_(None), Coupon.expires_at > now)
        .order_by(Coupon.expires_at)
    )
    return list(result)


class RedeemRefused(Exception):
    """The coupon cannot be used; `reason` is `not_found`, `used` or `expired`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def redeem(session: AsyncSession, code: str, order_code: str, now: datetime) -> Coupon:
    coupon = await session.scalar(
        select(Coupon).where(Coupon.code == code.strip().upper()).with_for_update()
    )
    if coupon is None:
        raise RedeemRefused("not_found")
    if coupon.redeemed_at is not None:
        raise RedeemRefused("used")
    if coupon.expires_at <= now:
        raise RedeemRefused("expired")
    coupon.redeemed_at, coupon.redeemed_order_code = now, order_code
    return coupon
