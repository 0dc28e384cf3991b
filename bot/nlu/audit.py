"""A label audit's worklist: the train bases the cross-validation reads as another intent.

    python -m bot.nlu.audit            # surest disagreements first, each with its nearest bases

Each base is read by the fold model that never saw it (bot/nlu/selection.py's folds and the
shipped strength and temperature), its variants' probabilities averaged. A confident
disagreement is either a label against docs/nlu.md's rules, a near-identical base labelled
otherwise (the neighbours show it), or a message the model misreads: the list only says where to
look, the rules decide. The test split is never read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.nlu.dataset import SEED, Labelled, draw, expand, split_bases
from bot.nlu.intents import Intent
from bot.nlu.selection import out_of_fold
from bot.nlu.training import STRENGTH, TEMPERATURE, featurise, matrix, vocabulary

NEIGHBOURS = 3


@dataclass(frozen=True, slots=True)
class Doubt:
    base: Labelled
    read_as: Intent
    probability: float  # read_as's out-of-fold probability, averaged over the base's variants
    neighbours: tuple[tuple[Labelled, float], ...]  # the most alike other bases, with their cosine


def doubts(bases: Sequence[Labelled]) -> list[Doubt]:
    """Every base whose averaged out-of-fold reading is another intent, surest first."""
    margins, _, labels = out_of_fold(STRENGTH, bases)
    scaled = np.exp((margins - margins.max(axis=1, keepdims=True)) / TEMPERATURE)
    probabilities = scaled / scaled.sum(axis=1, keepdims=True)
    ends = np.cumsum([len(expand(base, draw(base.text, SEED))) for base in bases])  # out_of_fold: a base's variants in turn
    starts = np.concatenate(([0], ends[:-1]))
    feats = [featurise(base.text) for base in bases]
    vectors = matrix(feats, *vocabulary(feats))
    found = list[Doubt]()
    for number, (base, start, end) in enumerate(zip(bases, starts, ends)):
        mean = probabilities[start:end].mean(axis=0)
        read_as = Intent(labels[int(mean.argmax())])
        if read_as == base.intent:
            continue
        alike = (vectors @ vectors[number].T).toarray().ravel()
        alike[number] = -1.0
        nearest = tuple((bases[i], float(alike[i])) for i in np.argsort(-alike)[:NEIGHBOURS])
        found.append(Doubt(base, read_as, float(mean.max()), nearest))
    return sorted(found, key=lambda doubt: -doubt.probability)


def main() -> None:
    bases = split_bases()[0]
    found = doubts(bases)
    print(f"{len(found)} of {len(bases)} train bases read as another intent")
    for doubt in found:
        print(f"{doubt.probability:.2f}  {doubt.base.intent.value} → {doubt.read_as.value}  {doubt.base.text}")
        for other, cosine in doubt.neighbours:
            print(f"        {cosine:.2f}  {other.intent.value:<20} {other.text}")


if __name__ == "__main__":
    main()
