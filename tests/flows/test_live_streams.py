"""Live streams (web chat and staff inbox) hold through silence, reconnects and departures.

The app is served as in production (the `served` fixture: a handler is not cancelled when its
client leaves), with a keepalive shortened so that "idle past the keepalive" takes a moment.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.storage.models import MessageRecord
from tests.apps import eventually, runtime_of
from tests.conftest import Backend
from tests.flows.sse import KEEPALIVE as KEEPALIVE_COMMENT
from tests.flows.sse import Event, EventReader
from tests.inbox.conftest import log_in
from tests.fakes.redis_process import subscriber_connections

OPEN = re.compile(r'^haumai_sse_streams_open\{stream="(\w+)"\} ([\d.]+)$', re.M)


class Visitor:
    """A web chat browser: its session, and the stream it has open."""

    def __init__(self, client: TestClient, http: aiohttp.ClientSession) -> None:
        self.client, self.http = client, http
        self.session = ""

    async def start(self) -> Visitor:
        self.session = (await (await self.client.post("/chat/api/session")).json())["session"]
        return self

    async def stream(self, last_event_id: str | None = None) -> EventReader:
        headers = {"Last-Event-ID": last_event_id} if last_event_id is not None else {}
        url = self.client.make_url("/chat/api/stream")
        return EventReader(await self.http.get(url, params={"session": self.session}, headers=headers))

    async def say(self, text: str) -> str:
        """Send `text`; the id the page shows it under (and the server replays it under)."""
        client_id = uuid.uuid4().hex
        body = {"session": self.session, "id": client_id, "text": text}
        assert (await self.client.post("/chat/api/messages", json=body)).status == 200
        return f"{self.session.rpartition('.')[0]}:{client_id}"


@pytest.fixture
async def http() -> Any:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        yield session


async def streams_open(client: TestClient) -> float:
    """Live streams this process holds, as /metrics reports them."""
    return sum(float(value) for _name, value in OPEN.findall(await (await client.get("/metrics")).text()))


async def redis_subscribers(backend: Backend) -> int:
    return await subscriber_connections(backend.redis_url) if backend.redis_url else 0


async def sent_replies(client: TestClient, count: int) -> None:
    """Wait until `count` replies are recorded as sent: the history has them."""

    async def recorded() -> bool:
        async with runtime_of(client).sessions() as db:
            return bool(await db.scalar(select(func.count()).where(MessageRecord.direction == "out")) == count)

    await eventually(recorded)


def bot_replies(events: list[Event]) -> list[Event]:
    return [e for e in events if e.data.get("from") == "bot"]


async def test_closing_100_streams_releases_every_subscription_and_connection(
    served: TestClient, http: aiohttp.ClientSession, backend: Backend
) -> None:
    before, redis_before = await streams_open(served), await redis_subscribers(backend)
    visitors = [await Visitor(served, http).start() for _ in range(100)]
    streams = [await visitor.stream() for visitor in visitors]
    await visitors[-1].say("chào shop")
    assert bot_replies(await streams[-1].until(1))
    assert await redis_subscribers(backend) - redis_before <= 1  # one shared connection, not one per visitor
    for stream in streams:
        stream.close()

    async def released() -> bool:
        """At most what was open before: an earlier test's server, still shutting down in this
        process and on the shared Redis, may release its own while this one runs."""
        return await streams_open(served) <= before and await redis_subscribers(backend) <= redis_before

    await eventually(released, timeout=10)


async def test_a_stream_idle_past_the_keepalive_delivers_the_next_message_once(
    served: TestClient, http: aiohttp.ClientSession
) -> None:
    visitor = await Visitor(served, http).start()
    stream = await visitor.stream()
    assert [await stream.next() for _ in range(3)] == [KEEPALIVE_COMMENT] * 3
    await visitor.say("chào shop")
    reply = await stream.until(1)
    later = await stream.until_keepalive() + await stream.until_keepalive()
    assert bot_replies(reply) and not later
    stream.close()


async def test_a_web_chat_reconnecting_with_last_event_id_gets_each_message_once(
    served: TestClient, http: aiohttp.ClientSession
) -> None:
    visitor = await Visitor(served, http).start()
    stream = await visitor.stream()
    await visitor.say("chào shop")
    first_reply = (await stream.until(1))[0]
    stream.close()
    said = await visitor.say("cảm ơn shop")  # said and answered while the browser was away
    await sent_replies(served, 2)
    again = await visitor.stream(last_event_id=first_reply.id)
    missed = await again.until_keepalive()
    assert [e.id for e in missed][0] == said and len(missed) == 2
    assert missed[1].data["from"] == "bot" and missed[1].id != first_reply.id
    again.close()


async def test_a_reloaded_web_chat_shows_no_empty_message_for_an_opened_link(
    served: TestClient, http: aiohttp.ClientSession
) -> None:
    visitor = await Visitor(served, http).start()
    body = {"session": visitor.session, "id": "link-1", "link": "not-a-valid-token"}
    assert (await served.post("/chat/api/messages", json=body)).status == 200
    await sent_replies(served, 1)
    stream = await visitor.stream()
    history = await stream.until_keepalive()
    assert history and all(e.data["text"] or e.data["buttons"] for e in history)
    stream.close()


async def test_the_inbox_reconnecting_with_last_event_id_gets_each_event_once(
    served: TestClient, http: aiohttp.ClientSession
) -> None:
    await log_in(served, "lan@shop.vn")
    visitor = await Visitor(served, http).start()
    await visitor.say("cho em gặp nhân viên")
    await sent_replies(served, 1)
    await visitor.say("alo shop ơi")  # while staff have the conversation: an inbox event

    async def inbox(last_event_id: str) -> EventReader:
        return EventReader(await served.get("/inbox/stream", headers={"Last-Event-ID": last_event_id}))

    first = await inbox("0")
    logged = await first.until(3)  # the handoff, the message asking for it, and the one after
    first.close()
    again = await inbox(logged[0].id)
    assert await again.until_keepalive() == logged[1:]
    again.close()


async def test_a_client_going_away_logs_no_traceback(
    served: TestClient, http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    await log_in(served, "lan@shop.vn")
    before = await streams_open(served)
    visitor = await Visitor(served, http).start()
    chat = await visitor.stream()
    inbox = EventReader(await served.get("/inbox/stream"))
    await chat.next()
    await inbox.next()
    with caplog.at_level(logging.DEBUG):
        chat.close()
        inbox.close()

        async def ended() -> bool:
            return await streams_open(served) <= before  # an earlier test's streams may end meanwhile

        await eventually(ended)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
