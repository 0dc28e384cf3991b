"""The customer's language: each message is answered in its own, and the contact remembers it
for the next answers and the notices the shop sends first (scheduler.journey)."""

from __future__ import annotations

from bot.nlu import Classification, Language
from bot.nlu.text import fold
from bot.pipeline import Next
from bot.touches import touch
from bot.turn import Turn

WORDS_TO_SWITCH = 3  # "ok", "size M" or an order code say nothing about a language already known


async def remember_language(turn: Turn, next_step: Next) -> None:
    """After classification, before routing: the reply to this very message is in its language."""
    classification = turn.classification
    contact = turn.party.contact
    if classification is not None and (contact.language is None or _says_its_language(classification)):
        touch(turn.session, contact, "language", classification.language.value)
    await next_step(turn)


def _says_its_language(classification: Classification) -> bool:
    """Enough words to tell, or Vietnamese letters ("cảm ơn" is Vietnamese however short)."""
    text = classification.text
    written_in_vietnamese = classification.language is Language.VI and fold(text) != text.lower()
    return written_in_vietnamese or len(text.split()) >= WORDS_TO_SWITCH
