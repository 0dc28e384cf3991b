"""The shop's labels retrain the classifier in the background; the new model replaces the
current one only if it scores at least as well on the test split, so a careless correction can
never make the bot understand less. Runs as a supervised job (app/runtime.py) every
HAUMAI_NLU_RETRAIN_EVERY, off the event loop (training is CPU work), and only when labels were
added since it last trained.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Iterable, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.nlu import Intent
from bot.nlu import learning
from bot.teaching import all_labels

log = logging.getLogger("bot.retraining")


class Learner(Protocol):
    """What bot.nlu.learning offers (a module satisfies it)."""

    def train(self, extra_rows: Iterable[tuple[str, Intent]], /) -> Any: ...
    def evaluate(self, model: Any, /) -> float: ...
    def activate(self, model: Any, /) -> None: ...
    def active(self) -> Any: ...


class Retrainer:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], learner: Learner = learning) -> None:
        self._sessions = sessions
        self._learner = learner
        self._trained_on = 0  # labels seen by the last training (labels are only ever added)

    async def once(self) -> bool:
        """One retraining if there are new labels; whether a new model was activated."""
        async with self._sessions() as db:
            labels = await all_labels(db)
        if len(labels) == self._trained_on:
            return False
        rows = [(label.text, Intent(label.intent)) for label in labels if label.intent in Intent.__members__.values()]
        activated = await asyncio.to_thread(self._train_and_compare, rows)
        self._trained_on = len(labels)
        return activated

    def _train_and_compare(self, rows: list[tuple[str, Intent]]) -> bool:
        learner = self._learner
        model = learner.train(rows)
        new, current = learner.evaluate(model), learner.evaluate(learner.active())
        log.info("nlu retrained", extra={"labels": len(rows), "accuracy": round(new, 4), "current": round(current, 4)})
        if new < current:
            return False
        learner.activate(model)
        return True
