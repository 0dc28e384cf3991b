"""Vietnamese-first NLU: intents, complaint and language from a learned model; entities by pattern.

Training (scikit-learn, optional) lives in bot.nlu.training: `from bot.nlu.training import train`.
"""

from bot.nlu.classifier import CLARIFY_BELOW, Classification, Intent, Language, activate, active, classify
from bot.nlu.dataset import Labelled, test_split, train_split
from bot.nlu.entities import Entities
from bot.nlu.evaluation import Report, evaluate
from bot.nlu.model import Model
from bot.nlu.text import fold

__all__ = [
    "CLARIFY_BELOW", "Classification", "Entities", "Intent", "Labelled", "Language", "Model", "Report",
    "activate", "active", "classify", "evaluate", "fold", "test_split", "train_split",
]
