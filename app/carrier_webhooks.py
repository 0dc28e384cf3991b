"""`POST /carriers/{carrier}/webhook?token=…`: each carrier in its own format.

Authentication: the shared `HAUMAI_CARRIER_WEBHOOK_TOKEN` in the URL (constant-time), plus
the carrier's own scheme where it has one. Events for unknown tracking codes are kept aside
(answered 200 so the carrier stops retrying; nothing is lost) and counted.
"""

from __future__ import annotations

import hmac

from aiohttp import web
from prometheus_client import Counter
from pydantic import ValidationError

from app.appkeys import RUNTIME
from app.webhooks import error
from bot.group_commit import WriteFailed
from bot.outage import unavailable
from carriers.base import WebhookAuthError
from untrusted.refused import Refused, refusal

CARRIER_EVENTS = Counter("haumai_carrier_events_total", "Carrier events received", ["carrier", "outcome"])


def _token_problem(request: web.Request, expected: str | None) -> web.Response | None:
    if expected is None:
        return error(403, "carrier_webhooks_disabled", "HAUMAI_CARRIER_WEBHOOK_TOKEN is not configured")
    given = request.query.get("token")
    if not given:
        return error(401, "missing_token", "the callback URL must carry ?token=")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return error(403, "invalid_token", "wrong token")
    return None


async def carrier_webhook(request: web.Request) -> web.StreamResponse:
    runtime = request.app[RUNTIME].get()
    carrier = runtime.carriers.get(request.match_info["carrier"])
    if carrier is None:
        return error(404, "unknown_carrier", f"no carrier named {request.match_info['carrier']!r}")
    secret = runtime.settings.carrier_webhook_token
    problem = _token_problem(request, secret.get_secret_value() if secret else None)
    if problem is not None:
        return problem
    body = await request.read()
    try:
        carrier.verify_webhook(request.headers, request.query, body)
        events = carrier.parse_webhook(body, request.content_type, request.headers)
    except WebhookAuthError as failure:
        return error(403, "invalid_signature", str(failure))
    except Refused as failure:  # MalformedWebhook, or a payload outside the shared bounds
        return error(400, "malformed_payload", str(failure))
    except ValidationError as failure:  # a TrackingEvent outside its bounds
        return error(400, "malformed_payload", str(refusal(failure, f"{carrier.id} event")))
    delivery = await runtime.tracking.checked(carrier, events)
    try:
        results = await runtime.carrier_writes.submit(delivery)  # stored before the 200: group commit
    except WriteFailed:
        return unavailable("the events could not be stored; retry later")
    for result in results:
        CARRIER_EVENTS.labels(carrier.id, "applied" if result.applied else result.reason).inc()
    runtime.dispatcher.wake()
    status, payload = carrier.webhook_success_response()
    if isinstance(payload, str):
        return web.Response(status=status, text=payload)
    return web.json_response(payload, status=status)


def setup_carrier_webhooks(app: web.Application) -> None:
    app.router.add_post("/carriers/{carrier}/webhook", carrier_webhook)
