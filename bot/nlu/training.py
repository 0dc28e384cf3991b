"""Training: logistic regression (scikit-learn) over the corpus's train split plus any rows the
shop added, exported as plain arrays (bot/nlu/model.py).

    python -m bot.nlu.training          # rebuild bot/nlu/model.npz and print its test-split report

scikit-learn is imported only here, and only when training: it is an optional dependency
(`pip install haumai[train]`), the bot itself reads models with numpy alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np

from bot.nlu.dataset import Labelled, train_split
from bot.nlu.entities import locate
from bot.nlu.features import cues_in, features, words_of
from bot.nlu.intents import Intent, Language
from bot.nlu.model import PACKAGED, Model

MIN_COUNT = 2  # a feature seen in one message only is noise, and weight to ship
STRENGTH = 50.0  # scikit-learn's C, chosen by 5-fold cross-validation on the train split (10–100 within 0.3 %)


def featurise(text: str) -> set[str]:
    found = locate(text)
    words = words_of(found)
    return features(text, found, words, cues_in(words))


def train(extra: Iterable[Labelled] = (), *, corpus: Iterable[Labelled] | None = None, strength: float = STRENGTH) -> Model:
    """A model from `corpus` (the train split unless told) and `extra` (the shop's corrections),
    the same model for the same rows on every run."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows = [*(train_split() if corpus is None else corpus), *extra]
    feats = [featurise(row.text) for row in rows]
    counts = Counter(f for fs in feats for f in fs)
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocabulary)}
    data, columns, pointers = list[float](), list[int](), [0]
    for fs in feats:
        known = sorted(index[f] for f in fs if f in index)
        data += [1.0 / np.sqrt(len(known))] * len(known)
        columns += known
        pointers.append(len(columns))
    x = csr_matrix((data, columns, pointers), shape=(len(rows), len(vocabulary)))
    intents = tuple(i for i in Intent if any(row.intent == i for row in rows))

    def fit(labels: list[Any]) -> Any:
        return LogisticRegression(C=strength, max_iter=3000).fit(x, labels)

    by_intent = fit([row.intent.value for row in rows])
    order = [list(by_intent.classes_).index(i.value) for i in intents]
    complaint = fit([row.complaint for row in rows])
    english = fit([row.language == Language.EN for row in rows])
    weights = np.hstack([by_intent.coef_[order].T, complaint.coef_.T, english.coef_.T]).astype(np.float32)
    bias = np.concatenate([by_intent.intercept_[order], complaint.intercept_, english.intercept_]).astype(np.float32)
    return Model(index, weights, bias, intents)


def main() -> None:
    from bot.nlu.evaluation import evaluate

    model = train()
    model.save(PACKAGED)
    print(f"saved {PACKAGED} ({len(model.index)} features, {len(train_split())} training messages)")
    print(evaluate(Model.load(PACKAGED)).render())


if __name__ == "__main__":
    main()
