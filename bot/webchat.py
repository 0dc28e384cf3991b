"""The web chat channel's own endpoints: the page, sessions, messages in, replies by SSE."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import select

from bot import sse
from bot.appkeys import RUNTIME
from bot.runtime import Runtime
from bot.storage.models import Conversation, Identity, MessageRecord
from bot.webhooks import accept, error, read_raw
from channels.web import WebChannel

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
    response = await sse.open_stream(request)
    async with runtime.coordinator.subscribe(f"web:{user}") as subscription:
        for item in await _history(runtime, user):
            await sse.send(response, str(item["id"]), item)
        async for live in sse.with_keepalive(subscription):
            await (sse.ping(response) if live is None else sse.send(response, str(live.get("id", "")), live))
    return response


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
        records = await session.scalars(
            select(MessageRecord)
            .where(MessageRecord.conversation_id == conversation_id)
            .order_by(MessageRecord.id.desc())
            .limit(HISTORY)
        )
        return [_as_item(r) for r in reversed(list(records))]


def _as_item(record: MessageRecord) -> dict[str, Any]:
    buttons = [{"title": t, "action": a} for t, a in record.data.get("buttons", [])]
    return {
        "id": record.data.get("key") or f"m{record.id}",
        "from": record.author,
        "text": record.text,
        "buttons": buttons,
        "sent_at": record.created_at.isoformat(),
    }


def setup_webchat(app: web.Application) -> None:
    app.router.add_get("/chat", page)
    app.router.add_get("/chat/api/config", config)
    app.router.add_post("/chat/api/session", new_session)
    app.router.add_post("/chat/api/messages", post_message)
    app.router.add_get("/chat/api/stream", stream)
