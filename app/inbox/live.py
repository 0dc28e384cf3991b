"""`/inbox/stream`: live inbox updates by SSE, replayed from the event log by Last-Event-ID.

Pub/sub (Redis across replicas) only says "something changed"; what changed is read from
`inbox_events`, so a browser that reconnects, or a message lost on the bus, misses nothing.
A page carries the newest event it was drawn after (`?after=`): the stream opens a moment after
the page was read, and a handoff in that moment would otherwise reach neither.
"""

from __future__ import annotations

import asyncio

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import sse
from app.appkeys import RUNTIME
from app.inbox.log_cursor import LogCursor
from app.inbox.queries import waiting_count
from app.runtime import Runtime
from bot.conversation_events import TOPIC
from bot.storage.models import InboxEvent
from untrusted.fields import whole_number

REPLAY_LIMIT = 500


async def stream(request: web.Request) -> web.StreamResponse:
    runtime: Runtime = request.app[RUNTIME].get()
    last = whole_number(request.headers.get("Last-Event-ID") or request.query.get("after", ""))
    if last is None:
        async with runtime.sessions() as db:
            last = await newest_event(db)
    cursor = LogCursor(last)
    subscribed = runtime.coordinator.subscribe(TOPIC)
    async with sse.EventStream(request, "inbox") as events, subscribed as subscription:
        await _catch_up(runtime, events, cursor)
        async for wake in events.follow(subscription):
            if wake is None:  # a quiet interval catches up too: a wake lost on the bus is late, not lost
                await events.ping()
            await _catch_up(runtime, events, cursor)
    return events.response


async def newest_event(db: AsyncSession) -> int:
    """Read before what a page shows: whatever happens after it is replayed to that page."""
    return int(await db.scalar(select(InboxEvent.id).order_by(InboxEvent.id.desc()).limit(1)) or 0)


async def _catch_up(runtime: Runtime, events: sse.EventStream, cursor: LogCursor) -> None:
    async with runtime.sessions() as db:
        logged = list(await db.scalars(
            select(InboxEvent).where(cursor.unread()).order_by(InboxEvent.id).limit(REPLAY_LIMIT)
        ))
        waiting = await waiting_count(db)
    cursor.read([event.id for event in logged], asyncio.get_running_loop().time())
    for event in logged:
        await events.send(str(event.id), {
            "kind": event.kind, "conversation_id": event.conversation_id, "waiting": waiting, **event.payload,
        })
