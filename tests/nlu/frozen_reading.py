"""The classifier's reading as it was before it was made faster (c6fc79c), kept verbatim.

A faster path must read every message exactly as this one does: the same features, added in the
same order (the model sums float32 rows in the set's order), the same probabilities to the last
bit. Only the parts that were rewritten are here; the rest is imported from bot.nlu.
"""

from __future__ import annotations

import math

import numpy as np

from bot.nlu.cues import BY_PHRASE, LONGEST
from bot.nlu.entities import _CARRIER_NAMES, Found  # the table is data: only the loop is frozen
from bot.nlu.features import LETTERS, _SYMBOLS, _WRITTEN
from bot.nlu.model import Model, Reading, _sigmoid


def cues_in(words: list[str]) -> list[str]:
    return [
        phrase
        for size in range(1, LONGEST + 1)
        for i in range(len(words) - size + 1)
        if (phrase := " ".join(words[i:i + size])) in BY_PHRASE
    ]


def features(text: str, found: Found, words: list[str], cues: list[str]) -> set[str]:
    feats = {f"w:{w}" for w in words}
    feats.update(f"b:{a} {b}" for a, b in zip(words, words[1:]))
    feats.update(f"t:{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:]))
    if words:
        feats.update((f"f:{words[0]}", f"l:{words[-1]}"))
    for word in words:
        padded = f" {word} "
        feats.update(f"c:{padded[i:i + LETTERS]}" for i in range(len(padded) - LETTERS + 1))
    written = _WRITTEN.findall(text.lower())
    feats.update(f"o:{w}" for w in written)
    feats.update(f"ob:{a} {b}" for a, b in zip(written, written[1:]))
    feats.update(f"q:{intent}" for cue in cues for intent in BY_PHRASE[cue])
    feats.update(f"p:{cue}" for cue in cues if " " in cue)
    feats.add(f"n:{min(len(words), 8)}")
    if text != found.plain:
        feats.add("m:marks")
    feats.update(f"s:{c}" for c in _SYMBOLS.findall(text))
    return feats


def read(model: Model, features: set[str]) -> Reading:
    self = model
    rows = [i for f in features if (i := self.index.get(f)) is not None]
    summed = self.weights[rows].sum(axis=0).tolist() if rows else [0.0] * len(self.bias)
    norm = len(rows) if self.rarity is None else float(np.square(self.rarity[rows]).sum())
    scale = 1.0 / math.sqrt(norm) if rows else 0.0
    scores = [b + scale * w for b, w in zip(self.bias.tolist(), summed)]
    k = len(self.intents)
    top = max(scores[:k])
    odds = [math.exp(s - top) for s in scores[:k]]
    total = sum(odds)
    ranked = sorted(((intent, o / total) for intent, o in zip(self.intents, odds)), key=lambda pair: -pair[1])
    return Reading(tuple(ranked), _sigmoid(scores[k]), _sigmoid(scores[k + 1]))


def carrier_named(folded: str) -> str | None:
    padded = f" {folded} "
    for carrier, names in _CARRIER_NAMES:
        if any(f" {name} " in padded for name in names):
            return carrier
    return None
