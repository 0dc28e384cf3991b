"""A dependency outage answers 503 with Retry-After, never 500.

Providers (Zalo, Meta, Telegram, carriers) and the shop's systems retry a 503 later, so an
unreachable database loses nothing; a 500 reads as our bug and some senders give up on it.
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger("bot.outage")
RETRY_AFTER_SECONDS = 5
_UNREACHABLE = (OSError, PoolTimeout, OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)


def is_outage(failure: BaseException) -> bool:
    """Whether `failure`, or what caused it, means a service we depend on is unreachable."""
    seen: BaseException | None = failure
    while seen is not None:
        if isinstance(seen, _UNREACHABLE) or (isinstance(seen, DBAPIError) and seen.connection_invalidated):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def unavailable(detail: str = "a service we depend on is unreachable; please retry") -> web.Response:
    return web.json_response(
        {"error": "service_unavailable", "detail": detail},
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


@web.middleware
async def dependency_outage(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Any route that hits an unreachable database or Redis answers 503 + Retry-After."""
    try:
        return await handler(request)
    except Exception as failure:
        if not is_outage(failure) or _client_gone(request):
            raise
        log.warning("dependency unreachable", extra={"path": request.path, "error": type(failure).__name__})
        return unavailable()


def _client_gone(request: web.Request) -> bool:
    """A reset from the caller's side (a closed stream) is not our dependency failing."""
    return request.transport is None or request.transport.is_closing()
