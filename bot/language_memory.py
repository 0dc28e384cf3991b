"""The customer's language: each message is answered in its own, and the contact remembers it
for the next answers and the notices the shop sends first (scheduler.journey)."""

from __future__ import annotations

from bot.pipeline import Next
from bot.turn import Turn

WORDS_TO_SWITCH = 2  # "ok", "2" or an order code alone say nothing about a language already known


async def remember_language(turn: Turn, next_step: Next) -> None:
    """After classification, before routing: the reply to this very message is in its language."""
    classification = turn.classification
    contact = turn.party.contact
    if classification is not None and (contact.language is None or len(classification.text.split()) >= WORDS_TO_SWITCH):
        contact.language = classification.language.value
    await next_step(turn)
