"""Training: a linear support-vector classifier (scikit-learn) for the intent and logistic
regressions for the complaint and language flags, over the corpus's train split plus any rows
the shop added, exported as plain arrays (bot/nlu/model.py).

    python -m bot.nlu.training          # rebuild bot/nlu/model.npz and print its test-split report

The intent margins become probabilities through a softmax at TEMPERATURE, fitted with the
strength by cross-validation on the train split (bot/nlu/selection.py), so the clarifying
question still fires where the model is unsure. scikit-learn is imported only here, and only
when training: it is an optional dependency (`pip install haumai[train]`), the bot itself reads
models with numpy alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bot.nlu.dataset import Labelled, train_split
from bot.nlu.entities import locate
from bot.nlu.features import cues_in, features, words_of
from bot.nlu.intents import Intent, Language
from bot.nlu.model import PACKAGED, Model

MIN_COUNT = 2  # a feature seen in one message only is noise, and weight to ship
STRENGTH = 3.0  # the intent classifier's C: 5-fold cross-validation on the train split, `python -m bot.nlu.selection`
TEMPERATURE = 0.25  # softmax temperature over its margins, the lowest log-loss in the same cross-validation
FLAG_STRENGTH = 50.0  # the complaint and language regressions' C


def featurise(text: str) -> set[str]:
    found = locate(text)
    words = words_of(found)
    return features(text, found, words, cues_in(words))


def vocabulary(feats: Sequence[set[str]]) -> tuple[dict[str, int], NDArray[np.float32]]:
    """The features seen at least MIN_COUNT times, and each one's rarity (smoothed idf)."""
    counts = Counter(f for fs in feats for f in fs)
    kept = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    rarity = np.log((1 + len(feats)) / (1 + np.array([counts[f] for f in kept], dtype=np.float64))) + 1
    return {f: i for i, f in enumerate(kept)}, rarity.astype(np.float32)


def matrix(feats: Sequence[set[str]], index: dict[str, int], rarity: NDArray[np.float32]) -> Any:
    """One unit-length row per message, as Model.read sees it."""
    from scipy.sparse import csr_matrix

    data, columns, pointers = list[float](), list[int](), [0]
    for fs in feats:
        known = sorted(index[f] for f in fs if f in index)
        values = rarity[known].astype(np.float64)
        norm = float(np.sqrt(np.square(values).sum())) or 1.0
        data += (values / norm).tolist()
        columns += known
        pointers.append(len(columns))
    return csr_matrix((data, columns, pointers), shape=(len(feats), len(index)))


def intent_classifier(strength: float = STRENGTH) -> Any:
    from sklearn.svm import LinearSVC

    return LinearSVC(C=strength)


def train(extra: Iterable[Labelled] = (), *, corpus: Iterable[Labelled] | None = None) -> Model:
    """A model from `corpus` (the train split unless told) and `extra` (the shop's corrections),
    the same model for the same rows on every run."""
    from sklearn.linear_model import LogisticRegression

    rows = [*(train_split() if corpus is None else corpus), *extra]
    feats = [featurise(row.text) for row in rows]
    index, rarity = vocabulary(feats)
    x = matrix(feats, index, rarity)
    intents = tuple(i for i in Intent if any(row.intent == i for row in rows))

    def flag(labels: list[bool]) -> Any:
        return LogisticRegression(C=FLAG_STRENGTH, max_iter=3000).fit(x, labels)

    by_intent = intent_classifier().fit(x, [row.intent.value for row in rows])
    order = [list(by_intent.classes_).index(i.value) for i in intents]
    complaint = flag([row.complaint for row in rows])
    english = flag([row.language == Language.EN for row in rows])
    weights = np.hstack([by_intent.coef_[order].T / TEMPERATURE, complaint.coef_.T, english.coef_.T]) * rarity[:, None]
    bias = np.concatenate([by_intent.intercept_[order] / TEMPERATURE, complaint.intercept_, english.intercept_])
    return Model(index, weights.astype(np.float32), bias.astype(np.float32), intents, rarity)


def main() -> None:
    from bot.nlu.evaluation import evaluate

    model = train()
    model.save(PACKAGED)
    print(f"saved {PACKAGED} ({len(model.index)} features, {len(train_split())} training messages)")
    print(evaluate(Model.load(PACKAGED)).render())


if __name__ == "__main__":
    main()
