"""`POST /sources/{platform}/webhook`: a shop platform's order webhooks, verified by the
platform's own signature over the raw body before anything is read or stored.

401 a missing or wrong signature, 403 a platform whose secret is not configured, 501 a
platform whose scheme is undocumented (Sapo), 400 an unreadable order, 200 otherwise
(a replay answers 200 "duplicate" so the platform stops resending).
"""

from __future__ import annotations

from aiohttp import web
from prometheus_client import Counter
from sqlalchemy.exc import IntegrityError

from app.appkeys import ORDER_CHANGED, RUNTIME, SETTINGS
from app.order_sources import Outcome, apply_source_event, sources_of
from app.webhooks import error
from sources.base import OrderSource, SchemeUndocumented, SignatureMismatch, SourceNotConfigured
from untrusted.refused import Refused

SOURCE_EVENTS = Counter("haumai_source_events_total", "Shop platform order events received", ["platform", "outcome"])
SOURCES: web.AppKey[dict[str, OrderSource]] = web.AppKey("sources")


async def source_webhook(request: web.Request) -> web.StreamResponse:
    platform = request.match_info["platform"]
    source = request.app[SOURCES].get(platform)
    if source is None:
        return error(404, "unknown_platform", f"no order source named {platform!r}")
    body = await request.read()
    try:
        source.verify(request.headers, body)
        event = source.parse(request.headers, body)
    except SchemeUndocumented as failure:
        return error(501, "signature_scheme_undocumented", str(failure))
    except SourceNotConfigured as failure:
        return error(403, "source_disabled", str(failure))
    except SignatureMismatch as failure:
        return error(401, "invalid_signature", str(failure))
    except Refused as failure:
        return error(400, "malformed_payload", str(failure))
    runtime = request.app[RUNTIME].get()
    try:
        async with runtime.sessions.begin() as session:
            outcome = await apply_source_event(session, platform, event, now=runtime.clock(),
                                               on_change=request.app[ORDER_CHANGED])
    except Refused as failure:
        return error(400, "invalid_order", str(failure))
    except IntegrityError:  # the same event, delivered twice at once: the other delivery stored it
        outcome = Outcome.DUPLICATE
    SOURCE_EVENTS.labels(platform, outcome.value).inc()
    runtime.dispatcher.wake()
    return web.json_response({"outcome": outcome.value})


def setup_source_webhooks(app: web.Application) -> None:
    app[SOURCES] = sources_of(app[SETTINGS])
    app.router.add_post("/sources/{platform}/webhook", source_webhook)
