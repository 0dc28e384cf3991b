"""The aiohttp application: routes, and a cleanup context that owns the runtime."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from typing import AsyncIterator

from aiohttp import web
from aiohttp.typedefs import Handler

from app.api import setup_api
from app.appkeys import CLOCK, ORDER_CHANGED, RUNTIME, SESSIONS, SETTINGS, OrderChangeRelay, RuntimeBox
from app.carrier_webhooks import setup_carrier_webhooks
from app.favicon import setup_favicon
from app.dashboard.views import setup_dashboard
from app.dashboard.experiments import setup_experiment_pages  # issue 16
from app.dashboard.segments import setup_segment_pages  # issue 16
from app.inbox.routes import setup_inbox
from app.ops import setup_ops
from app.refusals import refuse_bad_input
from app.runtime import start_runtime
from app.source_polling import start_source_polling
from app.source_webhooks import SOURCES, setup_source_webhooks
from app.sse import setup_streams
from app.webchat import setup_webchat
from app.webhooks import receive
from bot.clock import Clock, utcnow
from bot.config import Settings
from bot.outage import dependency_outage
from bot.storage.engine import make_engine, make_sessionmaker

log = logging.getLogger("app.web")


@web.middleware
async def no_tracebacks(request: web.Request, handler: Handler) -> web.StreamResponse:
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


def create_app(settings: Settings, *, clock: Clock = utcnow) -> web.Application:
    middlewares = [no_tracebacks, dependency_outage, refuse_bad_input]
    app = web.Application(client_max_size=settings.webhook_max_bytes, middlewares=middlewares)
    engine = make_engine(settings.database_url, settings)
    box, relay = RuntimeBox(), OrderChangeRelay()
    app[SETTINGS], app[CLOCK], app[SESSIONS] = settings, clock, make_sessionmaker(engine)
    app[RUNTIME], app[ORDER_CHANGED] = box, relay

    async def runtime_ctx(app: web.Application) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            box.runtime = await start_runtime(settings, clock, stack, engine)
            relay.target = box.runtime.planner
            start_source_polling(box.runtime, app[SOURCES])
            yield

    app.cleanup_ctx.append(runtime_ctx)
    app.router.add_route("POST", "/webhooks/{channel}", receive)
    app.router.add_route("GET", "/webhooks/{channel}", receive)
    setup_ops(app)
    setup_streams(app)
    setup_carrier_webhooks(app)
    setup_webchat(app)
    setup_api(app)
    setup_inbox(app)
    setup_favicon(app)
    setup_dashboard(app)
    setup_source_webhooks(app)  # issue 17: order sources
    setup_experiment_pages(app)
    setup_segment_pages(app)
    return app
