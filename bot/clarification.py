"""When the bot is unsure what a message meant: one question, the likeliest intents as buttons.

The question's buttons carry `nl:<intent>`; the tap is read as the unclear message understood
as that intent (answered by the intent's handler, `Router.answer_by_intent`) and kept as a
label (bot.teaching), so the same words need no question next time.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.nlu import Classification, Intent
from bot.pipeline import Next
from bot.storage.models import Author, Direction, LabelSource, MessageRecord
from bot.teaching import add_label, taught_as, understood
from bot.turn import Turn
from channels.models import Kind

PREFIX = "nl"  # the buttons' action: nl:<intent>
MOST_CHOICES = 3
CUSTOMER = "customer"  # who labelled, for labels from a tap
NOT_ASKED = frozenset({Intent.OTHER})  # "something else" is what the question's silence already offers


def choices(classification: Classification, threshold: float) -> list[Intent]:
    """The intents worth asking about: none when the bot is sure enough or has under two guesses."""
    if classification.confidence >= threshold:
        return []
    likely = [intent for intent, _ in classification.alternatives if intent not in NOT_ASKED][:MOST_CHOICES]
    return likely if len(likely) >= 2 else []


async def read_clarified_intent(turn: Turn, next_step: Next) -> None:
    """After classification, before routing: a tapped `nl:<intent>` stands for the customer's
    last typed message, understood as the tapped intent, with that message's entities and language."""
    intent = _tapped_intent(turn)
    if intent is not None:
        text = await _last_typed(turn)
        if text:
            turn.classification = taught_as(await understood(turn.session, text), intent)
            add_label(turn.session, text, intent, LabelSource.CLARIFY, CUSTOMER, turn.now)
    await next_step(turn)


def _tapped_intent(turn: Turn) -> Intent | None:
    args = turn.action_args
    if (turn.action or "").split(":", 1)[0] != PREFIX or len(args) != 1:
        return None
    return Intent(args[0]) if args[0] in Intent.__members__.values() else None


async def _last_typed(turn: Turn) -> str | None:
    """The customer's text the question was about: their latest typed message in this conversation."""
    return await turn.session.scalar(
        select(MessageRecord.text)
        .where(MessageRecord.conversation_id == turn.party.conversation.id, MessageRecord.direction == Direction.IN,
               MessageRecord.author == Author.CUSTOMER, MessageRecord.kind == Kind.TEXT.value)
        .order_by(MessageRecord.id.desc()).limit(1)
    )
