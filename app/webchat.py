"""The web chat channel's own endpoints: the page, sessions, messages in, replies by SSE."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import select

from app import sse
from app.appkeys import RUNTIME
from app.runtime import Runtime
from app.webhooks import accept, error, read_raw
from bot.outbox import OutboxBody, OutboxKind, OutboxStatus
from bot.storage.models import Author, Conversation, Identity, MessageRecord, Outbox
from bot.returns.photos import UPLOAD, PhotoRefused, checked
from bot.returns.store import keep_photo
from bot.taps import shown_text
from channels.models import Button
from channels.web import WebChannel, chat_item
from scheduler.outcomes import as_shown

PAGE = Path(__file__).resolve().parent / "static" / "chat.html"
HISTORY = 50
DEMO_CUSTOMERS = web.AppKey("demo_customers", list)


def _web(runtime: Runtime) -> WebChannel:
    channel = runtime.channels["web"]
    assert isinstance(channel, WebChannel)
    return channel


async def page(_request: web.Request) -> web.FileResponse:
    return web.FileResponse(PAGE, headers={"Content-Type": "text/html; charset=utf-8"})


async def config(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME].get()
    return web.json_response(
        {
            "shop_name": runtime.settings.shop_name,
            "language": runtime.settings.language,
            "demo_customers": request.app.get(DEMO_CUSTOMERS, []),
        }
    )


async def new_session(request: web.Request) -> web.Response:
    return web.json_response({"session": _web(request.app[RUNTIME].get()).new_session()})


async def post_message(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME].get()
    return await accept(runtime, _web(runtime), await read_raw(request))


async def stream(request: web.Request) -> web.StreamResponse:
    runtime = request.app[RUNTIME].get()
    user = _web(runtime).user_of(request.query.get("session", ""))
    if user is None:
        return error(403, "invalid_session", "unknown or forged chat session")
    subscribed = runtime.coordinator.subscribe(f"web:{user}")
    async with sse.EventStream(request, "webchat") as events, subscribed as subscription:
        replayed = _since(await _history(runtime, user), request.headers.get("Last-Event-ID"))
        for item in replayed:
            await events.send(item["id"], item)
        shown = {item["id"] for item in replayed}  # a reply published while the history was read is in both
        async for live in events.follow(subscription):
            if live is None:
                await events.ping()
            elif live.get("id") not in shown:
                await events.send(str(live.get("id", "")), live)
    return events.response


def _since(history: list[dict[str, Any]], last_event_id: str | None) -> list[dict[str, Any]]:
    """What a reconnecting browser has not seen: the history after its last event (all of it on a
    first visit, or when that event has left the window; the page drops ids it already shows)."""
    ids = [item["id"] for item in history]
    return history[ids.index(last_event_id) + 1:] if last_event_id in ids else history


async def _history(runtime: Runtime, user: str) -> list[dict[str, Any]]:
    """What this browser already said and got, so a reload shows the conversation."""
    async with runtime.sessions() as session:
        conversation_id = await session.scalar(
            select(Conversation.id)
            .join(Identity, Identity.contact_id == Conversation.contact_id)
            .where(Identity.channel == "web", Identity.user_id == user)
        )
        if conversation_id is None:
            return []
        in_flight = [_in_flight_item(row) for row in await session.scalars(
            select(Outbox)
            .where(Outbox.status == OutboxStatus.SENDING, Outbox.channel == "web",
                   Outbox.conversation_id == conversation_id)
            .order_by(Outbox.id)
        )]  # read first: a row that stops `sending` after this is in the records read next
        records = await session.scalars(
            select(MessageRecord)
            .where(MessageRecord.conversation_id == conversation_id)
            .order_by(MessageRecord.id.desc())
            .limit(HISTORY)
        )
        shown = [_as_item(r) for r in reversed(list(records)) if r.text or r.data.get("buttons")]  # not an opened link
        recorded = {item["id"] for item in shown}
        return shown + [item for item in in_flight if item["id"] not in recorded]


def _in_flight_item(row: Outbox) -> dict[str, Any]:
    """A reply already published live whose record the dispatcher has not stored yet: a reload in
    that instant would otherwise miss it, since its live event went out before this page listened."""
    shown = as_shown(OutboxBody.read(row.body), "web")
    author = Author.STAFF if row.kind == OutboxKind.STAFF_REPLY else Author.BOT
    return chat_item(row.dedupe_key, author.value, shown.text, shown.buttons, row.created_at)


def _as_item(record: MessageRecord) -> dict[str, Any]:
    """The id is the one the browser already knows the message by: the outbox key of a reply (its
    live event), or the web chat's own `session user:client id` of what the customer typed. A
    reply's record holds it as the web chat showed it (scheduler.outcomes), a tap the button's title."""
    return chat_item(
        record.data.get("key") or record.provider_message_id or f"m{record.id}", record.author, shown_text(record),
        [Button(title, action) for title, action in record.data.get("buttons", [])], record.created_at,
    )


def setup_webchat(app: web.Application) -> None:
    app.router.add_get("/chat", page)
    app.router.add_get("/chat/api/config", config)
    app.router.add_post("/chat/api/session", new_session)
    app.router.add_post("/chat/api/messages", post_message)
    app.router.add_get("/chat/api/stream", stream)
    app.router.add_post("/chat/api/upload", upload_photo)


# --- returns (issue 15): a photo for a return request, uploaded before the message names it ---


async def upload_photo(request: web.Request) -> web.Response:
    """The raw image as the body (`?session=`); stored at once, checked like a photo from any platform
    (size, type read from its bytes), and named by the next message as `attachment: upload:<id>`."""
    runtime = request.app[RUNTIME].get()
    user = _web(runtime).user_of(request.query.get("session", ""))
    if user is None:
        return error(403, "invalid_session", "unknown or forged chat session")
    limit = runtime.settings.returns_photo_max_bytes
    if (request.content_length or 0) > limit:
        return error(413, "too_large", f"photos are limited to {limit} bytes")
    data = await request.content.read(limit + 1)
    while len(data) <= limit and not request.content.at_eof():
        data += await request.content.read(limit + 1 - len(data))
    try:
        photo = checked(data, limit)
    except PhotoRefused as refused:
        status = 413 if refused.reason == "too_large" else 415
        return error(status, refused.reason, "a JPEG, PNG or WebP photo within the size limit is required")
    async with runtime.sessions.begin() as session:
        photo_id = await keep_photo(session, f"web:{user}", photo, None, runtime.clock())
    return web.json_response({"attachment": f"{UPLOAD}{photo_id}"}, status=201)
