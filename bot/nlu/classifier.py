"""Intent classification: a learned model over the folded text, its cues and its entities.

The model (bot/nlu/model.py) reads words, letter groups and the cue table's phrases; the
entities are read as placeholders, so an order code next to a clear intent keeps that intent
and only fills it in. A message that is nothing but an entity is a status question. Below
CLARIFY_BELOW the caller asks one clarifying question with `alternatives` as its buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.nlu.entities import Entities, locate
from bot.nlu.features import cues_in, features, words_of
from bot.nlu.intents import Intent, Language
from bot.nlu.model import PACKAGED, Model

__all__ = ["CLARIFY_BELOW", "Classification", "Intent", "Language", "activate", "active", "classify"]

CLARIFY_BELOW = 0.6  # under this confidence the bot asks rather than guesses
ALTERNATIVES = 3
COMPLAINT_FROM = 0.5
ENGLISH_FROM = 0.5
_FILLER = frozenset({"shop", "oi", "a", "ad", "admin", "em", "anh", "chi", "minh", "nhe", "nha", "cua", "ma",
                     "don", "hang", "so", "la", "day", "order", "code", "my", "please", "check", "giup"})


@dataclass(frozen=True, slots=True)
class Classification:
    text: str
    intent: Intent
    confidence: float
    entities: Entities
    evidence: tuple[str, ...]
    complaint: bool = False  # an unhappy message: apology and a person, never "thanks for your feedback"
    language: Language = Language.VI
    alternatives: tuple[tuple[Intent, float], ...] = ()  # the likeliest intents, best first, for clarification

    def to_json(self) -> dict[str, Any]:
        e = self.entities
        return {
            "text": self.text, "intent": self.intent.value, "confidence": round(self.confidence, 3),
            "complaint": self.complaint, "language": self.language.value,
            "entities": {"order_code": e.order_code, "tracking_code": e.tracking_code, "phone": e.phone, "carrier": e.carrier},
        }


class _Active:
    """The model the bot answers with: the packaged one until a retrained one replaces it."""

    model: Model | None = None


def active() -> Model:
    if _Active.model is None:
        _Active.model = Model.load(PACKAGED)
    return _Active.model


def activate(model: Model) -> None:
    """Swap the model in one assignment: a classification in flight finishes with the old one."""
    _Active.model = model


def classify(text: str, *, model: Model | None = None, order_code_pattern: str | None = None) -> Classification:
    found = locate(text, order_code_pattern)
    words = words_of(found)
    cues = cues_in(words)
    reading = (model or active()).read(features(text, found, words, cues))
    intent, confidence = reading.ranked[0]
    evidence = tuple(cues)
    if found.entities and all(w in _FILLER or w.startswith("zz") for w in words):
        intent, confidence, evidence = Intent.WHERE_IS_MY_ORDER, max(confidence, 0.9), ("entity only",)
    return Classification(
        text, intent, confidence, found.entities, evidence,
        complaint=reading.complaint >= COMPLAINT_FROM,
        language=Language.EN if reading.english >= ENGLISH_FROM else Language.VI,
        alternatives=reading.ranked[:ALTERNATIVES],
    )
