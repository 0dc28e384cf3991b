"""`POST /webhooks/{channel}`: raw bytes → verify → parse → dedupe + store → 200 → process.

Verification runs on the raw bytes (Meta signs its `\\uXXXX`-escaped body; re-serialising
breaks every Vietnamese message). Nothing is processed before it is durably stored, and the
answer comes before processing so Zalo's 2 s and Meta's 5 s deadlines are never at risk.
"""

from __future__ import annotations

import logging
from datetime import datetime

from aiohttp import web
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from app.appkeys import RUNTIME
from app.runtime import Runtime
from bot.dashboard_days import mark_moments
from bot.group_commit import WriteFailed
from bot.outage import unavailable
from bot.storage.models import Direction, MessageRecord
from channels.base import Channel, InvalidSignature, RawRequest
from channels.models import Message, Receipt
from untrusted.refused import Refused

log = logging.getLogger("app.webhook")
_OK = b'{"ok": true}'  # every accepted webhook's answer, serialised once


def error(status: int, code: str, detail: str) -> web.Response:
    return web.json_response({"error": code, "detail": detail}, status=status)


async def read_raw(request: web.Request) -> RawRequest:
    return RawRequest(request.method, request.query, request.headers, await request.read())


async def accept(runtime: Runtime, channel: Channel, raw: RawRequest) -> web.Response:
    """The shared inbound path once the bytes are in hand (webhooks and the web chat API)."""
    try:
        channel.verify(raw)
        events = channel.parse(raw)
    except InvalidSignature as failure:
        log.warning("webhook refused", extra={"channel": channel.kind.value, "reason": str(failure)})
        return error(403, "invalid_signature", str(failure))
    except Refused as failure:
        return error(400, "malformed_payload", str(failure))
    messages = [event for event in events if isinstance(event, Message)]
    receipts = [event for event in events if isinstance(event, Receipt) and event.provider_ids]
    try:
        fresh = await runtime.ingestor.accept(messages) if messages else []
        if receipts:
            await apply_receipts(runtime, receipts)
    except (SQLAlchemyError, OSError, WriteFailed) as failure:
        log.warning("could not store inbound events", extra={"error": type(failure).__name__})
        return unavailable("events not stored; please retry")
    for accepted in fresh:
        runtime.processor.submit(accepted)
    return web.Response(body=_OK, content_type="application/json")


async def apply_receipts(runtime: Runtime, receipts: list[Receipt]) -> None:
    """Delivered / read confirmations update the status staff see beside each message (and the
    dashboard's receipt counts of the day it was sent, when that day is closed)."""
    async with runtime.sessions.begin() as session:
        sent: list[datetime] = []
        for receipt in receipts:
            sent += (await session.scalars(
                update(MessageRecord)
                .where(MessageRecord.provider_message_id.in_(receipt.provider_ids),
                       MessageRecord.direction == Direction.OUT)
                .values(status=receipt.status).returning(MessageRecord.created_at)
            )).all()
        await mark_moments(session, sent, runtime.settings.zone, runtime.clock())


async def receive(request: web.Request) -> web.StreamResponse:
    runtime = request.app[RUNTIME].get()
    name = request.match_info["channel"]
    channel = runtime.channels.get(name)
    if channel is None or not channel.capabilities.provider_webhook:
        return error(404, "channel_not_configured", f"channel {name!r} is not enabled here")
    raw = await read_raw(request)
    if request.method == "GET":
        return _handshake(channel, raw)
    return await accept(runtime, channel, raw)


def _handshake(channel: Channel, raw: RawRequest) -> web.Response:
    try:
        challenge = channel.handshake(raw)
    except InvalidSignature as failure:
        return error(403, "invalid_verify_token", str(failure))
    if challenge is None:
        return error(405, "method_not_allowed", "this channel has no GET verification")
    return web.Response(text=challenge)
