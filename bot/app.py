"""The aiohttp application: routes, and a cleanup context that owns the runtime."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from typing import AsyncIterator

from aiohttp import web

from bot.api import setup_api
from bot.appkeys import CLOCK, ORDER_CHANGED, RUNTIME, SESSIONS, SETTINGS
from bot.clock import Clock, utcnow
from bot.config import Settings
from bot.ops import setup_ops
from bot.runtime import start_runtime
from bot.webchat import setup_webchat
from bot.webhooks import receive_for

log = logging.getLogger("bot.app")


@web.middleware
async def no_tracebacks(request: web.Request, handler: web.Handler) -> web.StreamResponse:
    """Whatever goes wrong, the caller gets a reason, never a stack trace."""
    try:
        return await handler(request)
    except web.HTTPException as http_error:
        if http_error.status >= 400 and http_error.content_type != "application/json":
            return web.json_response(
                {"error": http_error.reason.lower().replace(" ", "_"), "detail": http_error.reason},
                status=http_error.status,
            )
        raise
    except Exception:
        log.exception("unhandled error", extra={"path": request.path})
        return web.json_response({"error": "internal_error", "detail": "unexpected error"}, status=500)


async def _no_planner(*_args: object) -> None:
    """Until the journey planner is wired, order changes schedule nothing."""


def create_app(settings: Settings, *, clock: Clock = utcnow) -> web.Application:
    app = web.Application(client_max_size=settings.webhook_max_bytes, middlewares=[no_tracebacks])
    app[SETTINGS], app[CLOCK], app[ORDER_CHANGED] = settings, clock, _no_planner

    async def runtime_ctx(app: web.Application) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            runtime = await start_runtime(settings, clock, stack)
            app[RUNTIME], app[SESSIONS] = runtime, runtime.sessions
            yield

    app.cleanup_ctx.append(runtime_ctx)
    app.router.add_route("POST", "/webhooks/{channel}", receive_for(RUNTIME))
    app.router.add_route("GET", "/webhooks/{channel}", receive_for(RUNTIME))
    setup_ops(app)
    setup_webchat(app)
    setup_api(app)
    return app
