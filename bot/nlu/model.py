"""A trained model as numbers: one weight row per feature, read with numpy alone.

Training needs scikit-learn (an optional dependency); the shipped `model.npz` and every model
trained later are plain arrays, so the bot needs no download and classifies thousands of
messages a second on one core. Columns: one per intent (softmax), then "complaint" and
"english" (each a logistic yes/no).

A message is the unit-length vector of its known features, each valued by its rarity (`rarity`,
the inverse document frequency, 1 for all in models saved before it existed): a word every
message has says less than one only returns have. The rarity is already multiplied into the
weight rows, so reading a message is one sum of rows and one norm.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bot.nlu.intents import Intent

PACKAGED = Path(__file__).resolve().parent / "model.npz"


@dataclass(frozen=True, slots=True)
class Reading:
    """What the model makes of one message."""

    ranked: tuple[tuple[Intent, float], ...]  # every intent with its probability, likeliest first
    complaint: float
    english: float


@dataclass(frozen=True, slots=True)
class Model:
    index: dict[str, int]
    weights: NDArray[np.float32]  # (features, intents + 2), each row times its feature's rarity
    bias: NDArray[np.float32]  # (intents + 2,)
    intents: tuple[Intent, ...]
    rarity: NDArray[np.float32] | None = None  # (features,); None: every feature counts alike

    _bias: list[float] = field(init=False, repr=False, compare=False)
    _squares: NDArray[np.float32] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """What every reading needs, worked out once: the bias as floats, each rarity squared."""
        object.__setattr__(self, "_bias", self.bias.tolist())
        object.__setattr__(self, "_squares", None if self.rarity is None else np.square(self.rarity))

    def read(self, features: set[str]) -> Reading:
        rows = [row for row in map(self.index.get, features) if row is not None]
        if rows:
            at = np.fromiter(rows, np.intp, len(rows))  # one conversion for both lookups below
            summed = np.add.reduce(self.weights[at], axis=0).tolist()  # what .sum() does, without its wrapper
            norm = len(rows) if self._squares is None else float(np.add.reduce(self._squares[at]))
            scale = 1.0 / math.sqrt(norm)
        else:
            summed, scale = [0.0] * len(self._bias), 0.0
        scores = [b + scale * w for b, w in zip(self._bias, summed)]
        k = len(self.intents)
        top = max(scores[:k])
        odds = [math.exp(s - top) for s in scores[:k]]
        total = sum(odds)
        # reverse=True keeps equal probabilities in intent order, as a stable ascending sort would
        ranked = sorted(zip(self.intents, [o / total for o in odds]), key=itemgetter(1), reverse=True)
        return Reading(tuple(ranked), _sigmoid(scores[k]), _sigmoid(scores[k + 1]))

    def save(self, path: Path) -> None:
        path.write_bytes(self.to_bytes())

    @classmethod
    def load(cls, path: Path) -> Model:
        return cls.from_bytes(path.read_bytes())

    def to_bytes(self) -> bytes:
        """The model as one compressed blob: a retrained model can live in the database."""
        vocabulary = sorted(self.index, key=self.index.__getitem__)
        blob = io.BytesIO()
        arrays: dict[str, Any] = {
            "vocabulary": np.array(vocabulary, dtype=str), "weights": self.weights.astype(np.float16),
            "bias": self.bias, "intents": np.array([i.value for i in self.intents], dtype=str),
        }
        if self.rarity is not None:
            arrays["rarity"] = self.rarity.astype(np.float16)
        np.savez_compressed(blob, **arrays)
        return blob.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> Model:
        with np.load(io.BytesIO(blob), allow_pickle=False) as data:
            vocabulary = data["vocabulary"].tolist()
            return cls(
                index={feature: row for row, feature in enumerate(vocabulary)},
                weights=data["weights"].astype(np.float32), bias=data["bias"].astype(np.float32),
                intents=tuple(Intent(value) for value in data["intents"].tolist()),
                rarity=data["rarity"].astype(np.float32) if "rarity" in data.files else None,
            )


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
