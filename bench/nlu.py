"""NLU throughput: classifications per second on one core, over the labelled set.

    python -m bench.nlu

The rate is per second of this process's CPU: on a shared machine the wall-clock rate also
counts the time other work held the core (both are printed).
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

from bot.nlu import classify

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "nlu" / "labelled.tsv"


def main(seconds: float = 2.0) -> None:
    texts = [row["text"] for row in csv.DictReader(LABELLED.open(encoding="utf-8"), delimiter="\t")]
    done, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        for text in texts:
            classify(text)
        done += len(texts)
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"NLU: {done / used:,.0f} classifications per CPU second on one core, {done / elapsed:,.0f}/s by the clock"
          f" ({len(texts)} distinct messages, {done:,} runs)")


if __name__ == "__main__":
    main()
