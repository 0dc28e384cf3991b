"""`/inbox/stream`: live inbox updates by SSE, replayed from the event log by Last-Event-ID.

Pub/sub (Redis across replicas) only says "something changed"; what changed is read from
`inbox_events`, so a browser that reconnects, or a message lost on the bus, misses nothing.
"""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import select

from bot import sse
from bot.appkeys import RUNTIME
from bot.inbox.events import TOPIC
from bot.inbox.queries import waiting_count
from bot.runtime import Runtime
from bot.storage.models import InboxEvent
from untrusted.fields import whole_number

REPLAY_LIMIT = 500


async def stream(request: web.Request) -> web.StreamResponse:
    runtime: Runtime = request.app[RUNTIME].get()
    last = request.headers.get("Last-Event-ID", "")
    cursor = whole_number(last)
    if cursor is None:
        cursor = await _latest(runtime)
    response = await sse.open_stream(request)
    async with runtime.coordinator.subscribe(TOPIC) as subscription:
        cursor = await _catch_up(runtime, response, cursor)
        async for wake in sse.with_keepalive(subscription):
            if wake is None:
                await sse.ping(response)
            else:
                cursor = await _catch_up(runtime, response, cursor)
    return response


async def _latest(runtime: Runtime) -> int:
    async with runtime.sessions() as db:
        return int(await db.scalar(select(InboxEvent.id).order_by(InboxEvent.id.desc()).limit(1)) or 0)


async def _catch_up(runtime: Runtime, response: web.StreamResponse, cursor: int) -> int:
    async with runtime.sessions() as db:
        events = list(await db.scalars(
            select(InboxEvent).where(InboxEvent.id > cursor).order_by(InboxEvent.id).limit(REPLAY_LIMIT)
        ))
        waiting = await waiting_count(db)
    for event in events:
        await sse.send(response, str(event.id), {
            "kind": event.kind, "conversation_id": event.conversation_id, "waiting": waiting, **event.payload,
        })
    return events[-1].id if events else cursor
