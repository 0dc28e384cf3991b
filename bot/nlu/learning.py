"""The retraining job's view of the learned classifier (bot.retraining): train on the corpus's
train split plus the shop's labels, score on the test split, swap the active model.

Training needs scikit-learn (`pip install 'haumai[train]'`, part of the dev install); a shop
running without it keeps the packaged model and its labels still apply at once through
bot.teaching, so retraining is skipped rather than failing every hour.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import Iterable

from bot.nlu.classifier import Intent, activate, active
from bot.nlu.dataset import Labelled
from bot.nlu.evaluation import evaluate as report_on
from bot.nlu.model import Model

__all__ = ["activate", "active", "can_train", "evaluate", "train"]


def can_train() -> bool:
    return find_spec("sklearn") is not None


def train(extra_rows: Iterable[tuple[str, Intent]]) -> Model:
    """A model trained on the corpus's train split and the shop's own rows."""
    from bot.nlu.training import train as fit

    return fit(Labelled(text, intent) for text, intent in extra_rows)


def evaluate(model: Model) -> float:
    """Intent accuracy on the test split, the bar a retrained model must clear."""
    return report_on(model).accuracy
