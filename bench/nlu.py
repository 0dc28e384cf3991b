"""NLU throughput: classifications per second on one core, over the labelled set.

    python -m bench.nlu
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

from bot.nlu import classify

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "nlu" / "labelled.tsv"


def main(seconds: float = 2.0) -> None:
    texts = [row["text"] for row in csv.DictReader(LABELLED.open(encoding="utf-8"), delimiter="\t")]
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            classify(text)
        done += len(texts)
    elapsed = time.perf_counter() - start
    print(f"NLU: {done / elapsed:,.0f} classifications/s on one core ({len(texts)} distinct messages, {done:,} runs)")


if __name__ == "__main__":
    main()
