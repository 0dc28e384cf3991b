"""Typed keys for what the aiohttp application holds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Awaitable, Callable

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings

if TYPE_CHECKING:  # the runtime imports the whole bot; keys must stay importable alone
    from bot.runtime import Runtime
    from bot.storage.models import Order
    from bot.timeline import StatusChange

OrderChangeHook = Callable[[AsyncSession, "Order", "StatusChange"], Awaitable[None]]

SETTINGS = web.AppKey("settings", Settings)
SESSIONS = web.AppKey("sessions", async_sessionmaker[AsyncSession])
CLOCK = web.AppKey("clock", Clock)
ORDER_CHANGED = web.AppKey("order_changed", OrderChangeHook)
RUNTIME = web.AppKey("runtime", "Runtime")
