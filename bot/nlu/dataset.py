"""The labelled corpus, expanded with variants and split by base message with a fixed seed.

All variants of one base land in the same split, so the test split measures messages the
model has never seen in any spelling, not the same words without their accents.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.nlu.intents import Intent, Language
from bot.nlu.variants import variants

CORPUS = Path(__file__).resolve().parent / "corpus"
SEED = 13
TEST_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    intent: Intent
    complaint: bool = False
    language: Language = Language.VI


def read_bases(folder: Path = CORPUS) -> list[Labelled]:
    rows = list[Labelled]()
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                rows.append(Labelled(row["text"].strip(), Intent(row["intent"]), row["complaint"] == "1", Language(row["language"])))
    return rows


def expand(base: Labelled, seed: int) -> list[Labelled]:
    english = base.language == Language.EN
    return [Labelled(text, base.intent, base.complaint, base.language) for text in variants(base.text, english, seed)]


@cache
def split(seed: int = SEED) -> tuple[tuple[Labelled, ...], tuple[Labelled, ...]]:
    """(train, test): a fifth of each intent's bases, drawn with `seed`, and all their variants."""
    by_intent: dict[Intent, list[tuple[int, Labelled]]] = defaultdict(list)
    for number, base in enumerate(dict.fromkeys(read_bases())):
        by_intent[base.intent].append((number, base))
    train, test = list[Labelled](), list[Labelled]()
    rng = random.Random(seed)
    for intent in Intent:
        bases = by_intent.get(intent, [])
        rng.shuffle(bases)
        cut = round(len(bases) * TEST_SHARE)
        for position, (number, base) in enumerate(bases):
            (test if position < cut else train).extend(expand(base, seed * 100_003 + number))
    trained = {row.text for row in train}
    return tuple(train), tuple(row for row in test if row.text not in trained)  # two bases may fold alike


def train_split() -> tuple[Labelled, ...]:
    return split()[0]


def test_split() -> tuple[Labelled, ...]:
    return split()[1]
