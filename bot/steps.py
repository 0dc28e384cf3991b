"""The engine's steps of the pipeline; `handlers.build_pipeline` registers them in this order.

Each docstring says why the step sits where it sits: moving one changes what is stored or
answered.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import insert

from bot.conversation_events import InboxEventKind, record_event
from bot.touches import touch
from bot.counters import WISMO_ANSWERED
from bot.nlu import Intent
from bot.pipeline import Next
from bot.privacy import forget
from bot.storage.deferred import defer
from bot.storage.models import Author, ConversationMode, Direction, MessageRecord, MessageStatus
from bot.taps import tapped_title
from bot.teaching import understood
from bot.turn import Turn
from channels.models import Kind, Message


async def honour_withdrawal(turn: Turn, next_step: Next) -> None:
    """First: a data-subject request is honoured whoever owns the chat, a person included, and
    nothing of it is stored or answered, so no later step runs."""
    if turn.message.kind != Kind.WITHDRAW:
        await next_step(turn)
        return
    await forget(turn.session, turn.party, turn.now)


async def record_inbound(turn: Turn, next_step: Next) -> None:
    """Wraps every later step and the handler, so the row is built after the handler ran: a
    message that linked its chat lands in the merged conversation, with its intent and as the
    button a typed number stood for. A tap is stored with the title of the button tapped, looked
    up in the buttons offered before this turn's reply offers new ones."""
    offered = list(turn.party.conversation.offered or [])
    await next_step(turn)
    touch(turn.session, turn.party.conversation, "last_message_at", turn.now)
    row = _inbound_row(turn)
    message = turn.message
    if message.kind == Kind.ACTION and message.action and not message.text:
        title = await tapped_title(turn.session, turn.party.conversation.id, message.action, offered)
        row["data"]["tapped"] = title
    defer(turn.session, _INSERT_MESSAGE, row)
    if _answered_wismo(turn):
        WISMO_ANSWERED.labels(turn.message.sender.channel.value).inc()


def _answered_wismo(turn: Turn) -> bool:
    """A where-is-my-order question the bot answered and kept: no person had or took the conversation."""
    return (turn.classification is not None and turn.classification.intent == Intent.WHERE_IS_MY_ORDER
            and not turn.ignored and turn.party.conversation.mode == ConversationMode.BOT)


async def read_numbered_choice(turn: Turn, next_step: Next) -> None:
    """Before classification and routing, which must see a typed "2" as the button it chose."""
    turn.read_as(numbered_choice(turn.message, turn.party.conversation.offered or []))
    await next_step(turn)


async def classify_text(turn: Turn, next_step: Next) -> None:
    """Before the human-mode check, so messages the bot stays silent on are stored with their
    intent too, and before routing, which picks most handlers by intent. What the shop taught for
    these words wins over the classifier (bot.teaching)."""
    if turn.message.text and turn.message.kind == Kind.TEXT:
        pattern = turn.services.settings.order_code_pattern
        turn.classification = await understood(turn.session, turn.message.text, pattern)
    await next_step(turn)


async def leave_to_staff(turn: Turn, next_step: Next) -> None:
    """Before routing: while people own the conversation the bot stays silent and the event ends
    "ignored". Around routing: a message that handed the conversation over in this very turn is
    also one staff have not read, shown live in the inbox."""
    if turn.party.conversation.mode == ConversationMode.BOT:
        await next_step(turn)
    else:
        turn.ignored = True
    conversation = turn.party.conversation  # after the handler: linking may have merged it
    if conversation.mode == ConversationMode.HUMAN:
        conversation.unread += 1
        record_event(turn.session, conversation.id, InboxEventKind.MESSAGE, {"text": turn.message.text[:200]}, turn.now)


def numbered_choice(message: Message, offered: list[list[str]]) -> Message:
    """A reply of "2" to a message that offered buttons means tapping the second one, unless a
    button is titled "2" (a 0–10 score shown as a list): then it means that button."""
    text = message.text.strip().rstrip(".")
    if message.kind != Kind.TEXT or not text.isdigit():
        return message
    by_title = {title.split()[0]: action for title, action in offered if title.split()}
    if text in by_title:
        return dataclasses.replace(message, kind=Kind.ACTION, action=by_title[text])
    if not 1 <= int(text) <= len(offered):
        return message
    return dataclasses.replace(message, kind=Kind.ACTION, action=offered[int(text) - 1][1])


_INSERT_MESSAGE = insert(MessageRecord.__table__)


def _inbound_row(turn: Turn) -> dict[str, Any]:
    message = turn.message
    return {
        "conversation_id": turn.party.conversation.id,
        "direction": Direction.IN.value,
        "author": Author.CUSTOMER.value,
        "channel": message.sender.channel.value,
        "kind": message.kind.value,
        "text": message.text or message.action or message.phone or "",
        "data": {"attachments": [a.url for a in message.attachments]},
        "intent": turn.classification.intent.value if turn.classification else None,
        "status": MessageStatus.RECEIVED.value,
        "provider_message_id": message.id,
        "outbox_id": None,
        "created_at": turn.now,
    }
