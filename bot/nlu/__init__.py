"""Vietnamese-first NLU: intents and entities, diacritics-insensitive and teencode-aware."""

from bot.nlu.classifier import Classification, Intent, Language, classify
from bot.nlu.entities import Entities
from bot.nlu.text import fold

__all__ = ["Classification", "Entities", "Intent", "Language", "classify", "fold"]
