"""The labelled corpus, expanded with variants and split by base message with a fixed seed.

All variants of one base land in the same split, so the test split measures messages the
model has never seen in any spelling, not the same words without their accents. A keyed hash
of each base's words draws a number, and the bases whose number falls in the lowest fifth of
the range are the test split. Where a base lands depends on its words and the seed alone: not
on file order, not on its label (a label audit that corrects an intent leaves the base where it
was, where ranking within each intent moved it to the other split four times in five), and a
base added to the corpus moves no other. Each intent's share of the test split is a fifth give
or take chance (within two and a half points at this corpus's sizes).

The unseen set (`unseen.tsv`) is a second yardstick: messages written by two writers who never
read the corpus, each alone, and never trained on. The test split shares its writers with the train
split, so it cannot tell how the model reads a stranger; the unseen set can.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.nlu.intents import Intent, Language
from bot.nlu.variants import variants

CORPUS = Path(__file__).resolve().parent / "corpus"
UNSEEN = Path(__file__).resolve().parent / "unseen.tsv"
SEED = 13
TEST_SHARE = 0.2
DRAWS = 2**64  # draw() is a 64-bit number


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    intent: Intent
    complaint: bool = False
    language: Language = Language.VI


def read_bases(folder: Path = CORPUS) -> list[Labelled]:
    return [row for path in sorted(folder.glob("*.tsv")) for row in read_labelled(path)]


def read_labelled(path: Path) -> list[Labelled]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Labelled(row["text"].strip(), Intent(row["intent"]), row["complaint"] == "1", Language(row["language"]))
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def draw(text: str, seed: int) -> int:
    """A number fixed by the base's words and the seed, the same on every machine and run."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8, key=str(seed).encode()).digest(), "big")


def expand(base: Labelled, seed: int) -> list[Labelled]:
    english = base.language == Language.EN
    return [Labelled(text, base.intent, base.complaint, base.language) for text in variants(base.text, english, seed)]


def expanded(bases: list[Labelled], seed: int = SEED) -> list[Labelled]:
    return [row for base in bases for row in expand(base, draw(base.text, seed))]


@cache
def split_bases(seed: int = SEED) -> tuple[tuple[Labelled, ...], tuple[Labelled, ...]]:
    return divide(read_bases(), seed)


def divide(bases: list[Labelled], seed: int = SEED) -> tuple[tuple[Labelled, ...], tuple[Labelled, ...]]:
    """(train, test) base messages: the test split is every base whose `draw` is in the lowest fifth."""
    cut = int(TEST_SHARE * DRAWS)
    train, test = list[Labelled](), list[Labelled]()
    for base in dict.fromkeys(bases):
        (test if draw(base.text, seed) < cut else train).append(base)
    return tuple(train), tuple(test)


@cache
def split(seed: int = SEED) -> tuple[tuple[Labelled, ...], tuple[Labelled, ...]]:
    """(train, test): every variant of the train and test bases."""
    train_bases, test_bases = split_bases(seed)
    train = expanded(list(train_bases), seed)
    trained = {row.text for row in train}
    return tuple(train), tuple(row for row in expanded(list(test_bases), seed) if row.text not in trained)  # two bases may fold alike


def train_split() -> tuple[Labelled, ...]:
    return split()[0]


def test_split() -> tuple[Labelled, ...]:
    return split()[1]


@cache
def unseen_set() -> tuple[Labelled, ...]:
    """Every variant of the unseen writers' messages (tests/nlu/test_model.py keeps them out of the corpus)."""
    return tuple(expanded(read_labelled(UNSEEN)))
