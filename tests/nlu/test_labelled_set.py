"""The NLU against a labelled set of real-sounding messages (≥ 150, with and without marks)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.nlu import classify

ROWS = list(csv.DictReader((Path(__file__).parent / "labelled.tsv").read_text(encoding="utf-8").splitlines(), delimiter="\t"))
ENTITIES = ("order_code", "tracking_code", "phone", "carrier")


def test_the_labelled_set_is_large_enough() -> None:
    assert len(ROWS) >= 150


def test_intents_are_at_least_95_percent_right() -> None:
    wrong = [(r["text"], r["intent"], classify(r["text"]).intent.value) for r in ROWS
             if classify(r["text"]).intent.value != r["intent"]]
    accuracy = 1 - len(wrong) / len(ROWS)
    assert accuracy >= 0.95, "\n".join(f"{t!r}: expected {e}, got {g}" for t, e, g in wrong)


@pytest.mark.parametrize("entity", ENTITIES)
def test_entities_are_extracted_exactly(entity: str) -> None:
    wrong = [(r["text"], r[entity] or None, getattr(classify(r["text"]).entities, entity)) for r in ROWS]
    wrong = [w for w in wrong if w[1] != w[2]]
    assert not wrong, "\n".join(f"{t!r}: expected {e}, got {g}" for t, e, g in wrong)
