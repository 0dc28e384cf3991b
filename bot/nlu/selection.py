"""How the model's settings were chosen: grouped cross-validation on the train split alone.

    python -m bot.nlu.selection         # accuracy, log-loss and fitted temperature per strength

The train split's bases are dealt into FOLDS folds per intent (all variants of a base in one
fold, as in the train/test split); each fold is scored by a model trained on the others. The
test split is never read, so it stays a fair estimate of messages nobody has seen. The
strength with the best accuracy and the temperature with the lowest log-loss at it become
training.STRENGTH and training.TEMPERATURE.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bot.nlu.dataset import SEED, Labelled, expand, draw, split_bases
from bot.nlu.training import featurise, intent_classifier, matrix, vocabulary

FOLDS = 5
STRENGTHS = (0.1, 0.3, 1.0, 3.0)
TEMPERATURES = np.geomspace(0.05, 2.0, 60)


@dataclass(frozen=True, slots=True)
class Score:
    strength: float
    accuracy: float
    temperature: float
    log_loss: float


def folds(bases: Sequence[Labelled], seed: int = SEED) -> list[int]:
    """Each base's fold: every intent dealt round-robin after a seeded shuffle."""
    by_intent: dict[str, list[int]] = defaultdict(list)
    for number, base in enumerate(bases):
        by_intent[base.intent.value].append(number)
    fold = [0] * len(bases)
    rng = random.Random(seed)
    for numbers in by_intent.values():
        rng.shuffle(numbers)
        for position, number in enumerate(numbers):
            fold[number] = position % FOLDS
    return fold


def out_of_fold(strength: float, bases: Sequence[Labelled]) -> tuple[NDArray[np.float64], NDArray[np.int64], list[str]]:
    """Every train-split message's intent margins from the model that did not see its base."""
    fold_of = folds(bases)
    rows = [(fold_of[number], row) for number, base in enumerate(bases) for row in expand(base, draw(base.text, SEED))]
    feats = [featurise(row.text) for _, row in rows]
    labels = sorted({row.intent.value for _, row in rows})
    truth = np.array([labels.index(row.intent.value) for _, row in rows])
    margins = np.zeros((len(rows), len(labels)))
    for k in range(FOLDS):
        trained = [i for i, (fold, _) in enumerate(rows) if fold != k]
        held = [i for i, (fold, _) in enumerate(rows) if fold == k]
        index, rarity = vocabulary([feats[i] for i in trained])
        model = intent_classifier(strength).fit(matrix([feats[i] for i in trained], index, rarity), truth[trained])
        margins[held] = model.decision_function(matrix([feats[i] for i in held], index, rarity))
    return margins, truth, labels


def log_loss(margins: NDArray[np.float64], truth: NDArray[np.int64], temperature: float) -> float:
    scaled = margins / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    chosen = scaled[np.arange(len(truth)), truth]
    return float(np.mean(np.log(np.exp(scaled).sum(axis=1)) - chosen))


def score(strength: float, bases: Sequence[Labelled]) -> Score:
    margins, truth, _ = out_of_fold(strength, bases)
    losses = [log_loss(margins, truth, t) for t in TEMPERATURES]
    best = int(np.argmin(losses))
    return Score(strength, float(np.mean(margins.argmax(axis=1) == truth)), float(TEMPERATURES[best]), losses[best])


def main() -> None:
    bases = split_bases()[0]
    print(f"{FOLDS}-fold cross-validation on the train split ({len(bases)} bases)")
    for strength in STRENGTHS:
        s = score(strength, bases)
        print(f"C={s.strength:<5} accuracy {s.accuracy:.2%}  temperature {s.temperature:.3f}  log-loss {s.log_loss:.3f}")


if __name__ == "__main__":
    main()
