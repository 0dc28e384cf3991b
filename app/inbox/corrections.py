"""Staff correcting what the bot understood of a customer's message, in one click.

The correction changes the message's intent as the inbox and dashboard show it, and becomes a
label (bot.teaching): the same words are understood as taught from the next message on, and the
classifier learns from it when it retrains (bot.retraining).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.nlu import Intent
from bot.storage.models import Author, Conversation, Direction, LabelSource, MessageRecord, Staff
from bot.teaching import add_label
from channels.models import Kind
from untrusted.fields import whole_number
from untrusted.refused import Refused


async def correct(db: AsyncSession, conversation: Conversation, staff: Staff, message_id: str, intent: str,
                  now: datetime) -> None:
    """Only a customer's typed message of this conversation can be corrected, to a known intent;
    anything else is refused with its reason (a 400, app.refusals)."""
    if intent not in Intent.__members__.values():
        raise Refused("no such intent")
    number = whole_number(message_id)
    message = await db.get(MessageRecord, number) if number is not None else None
    if message is None or message.conversation_id != conversation.id or not _typed_by_customer(message):
        raise Refused("no such customer message in this conversation")
    message.intent = intent
    add_label(db, message.text, Intent(intent), LabelSource.STAFF, staff.email, now, message_id=message.id)


def _typed_by_customer(message: MessageRecord) -> bool:
    return (message.direction == Direction.IN and message.author == Author.CUSTOMER
            and message.kind == Kind.TEXT.value and bool(message.text))
