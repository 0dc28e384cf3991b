"""Counts of return requests that staff screens show."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.returns.states import PENDING
from bot.storage.models import ReturnRequest


async def waiting_for_staff(session: AsyncSession) -> int:
    """Requests a person has to approve or reject (shown beside "Đổi/trả" in the inbox header)."""
    return int(await session.scalar(
        select(func.count()).select_from(ReturnRequest).where(ReturnRequest.state.in_([s.value for s in PENDING]))) or 0)
