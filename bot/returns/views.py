"""Return requests as staff screens show them: how many wait for a person, a customer's own."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.returns.states import PENDING, State
from bot.storage.models import Order, ReturnRequest


async def waiting_for_staff(session: AsyncSession) -> int:
    """Requests a person has to approve or reject (shown beside "Đổi/trả" in the inbox header)."""
    return int(await session.scalar(
        select(func.count()).select_from(ReturnRequest).where(ReturnRequest.state.in_([s.value for s in PENDING]))) or 0)


async def requests_of(session: AsyncSession, contact_id: int) -> list[tuple[ReturnRequest, str]]:
    """A customer's confirmed return requests with their order's code, newest first (the inbox's customer card)."""
    found = await session.execute(
        select(ReturnRequest, Order.code).join(Order, Order.id == ReturnRequest.order_id)
        .where(ReturnRequest.contact_id == contact_id, ReturnRequest.state.not_in((State.DRAFT.value, State.CANCELLED.value)))
        .order_by(ReturnRequest.id.desc()).limit(10))
    return [(request, code) for request, code in found.all()]
