"""How well a model does on labelled messages: accuracy, per-intent precision and recall, and
the confusion table, as `haumai nlu eval` prints them and the retraining job compares them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.nlu.classifier import classify
from bot.nlu.dataset import Labelled, test_split
from bot.nlu.intents import Intent
from bot.nlu.model import Model

ABBREVIATED = {intent: "".join(part[0] for part in intent.value.split("_")).upper() for intent in Intent}


@dataclass(frozen=True, slots=True)
class IntentScore:
    precision: float
    recall: float
    support: int


@dataclass(frozen=True, slots=True)
class Report:
    total: int
    accuracy: float
    complaint_accuracy: float
    language_accuracy: float
    confusion: dict[tuple[Intent, Intent], int]  # (expected, predicted) → messages

    def per_intent(self) -> dict[Intent, IntentScore]:
        scores = {}
        for intent in Intent:
            right = self.confusion.get((intent, intent), 0)
            expected = sum(n for (e, _), n in self.confusion.items() if e == intent)
            predicted = sum(n for (_, p), n in self.confusion.items() if p == intent)
            scores[intent] = IntentScore(right / predicted if predicted else 0.0, right / expected if expected else 0.0, expected)
        return scores

    def summary(self) -> list[str]:
        return [
            f"messages: {self.total}",
            f"intent accuracy: {self.accuracy:.2%}",
            f"complaint accuracy: {self.complaint_accuracy:.2%}",
            f"language accuracy: {self.language_accuracy:.2%}",
        ]

    def render(self) -> str:
        lines = [*self.summary(), "", f"{'intent':<20}{'precision':>10}{'recall':>8}{'support':>9}"]
        lines += [f"{i.value:<20}{s.precision:>10.2%}{s.recall:>8.2%}{s.support:>9}" for i, s in self.per_intent().items()]
        width = 1 + max([4, *(len(str(n)) for n in self.confusion.values())])  # a space between any two counts
        lines += ["", "confusion (rows: expected, columns: predicted)", " " * 6 + "".join(f"{ABBREVIATED[i]:>{width}}" for i in Intent)]
        for expected in Intent:
            cells = "".join(f"{self.confusion.get((expected, predicted), 0) or '.':>{width}}" for predicted in Intent)
            lines.append(f"{ABBREVIATED[expected]:<6}{cells}")
        lines += ["", "  ".join(f"{short}={intent.value}" for intent, short in ABBREVIATED.items())]
        return "\n".join(lines)


def evaluate(model: Model, rows: Iterable[Labelled] | None = None) -> Report:
    """The model on `rows`, the test split unless told otherwise."""
    labelled = list(test_split() if rows is None else rows)
    confusion: Counter[tuple[Intent, Intent]] = Counter()
    complaints = languages = 0
    for row in labelled:
        got = classify(row.text, model=model)
        confusion[(row.intent, got.intent)] += 1
        complaints += got.complaint == row.complaint
        languages += got.language == row.language
    total = len(labelled) or 1
    right = sum(n for (e, p), n in confusion.items() if e == p)
    return Report(len(labelled), right / total, complaints / total, languages / total, dict(confusion))
