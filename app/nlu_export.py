"""`haumai nlu export`: the shop's labels (staff corrections, clarified taps) as TSV or CSV,
oldest first, for review or for training elsewhere."""

from __future__ import annotations

import csv
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.teaching import all_labels

COLUMNS = ("text", "intent", "source", "who", "labelled_at")
DELIMITERS = {"tsv": "\t", "csv": ","}


async def export_labels(sessions: async_sessionmaker[AsyncSession], out: TextIO, fmt: str) -> int:
    """Writes a header and one row a label; returns how many labels were written."""
    async with sessions() as db:
        labels = await all_labels(db)
    writer = csv.writer(out, delimiter=DELIMITERS[fmt], lineterminator="\n")
    writer.writerow(COLUMNS)
    for label in labels:
        writer.writerow((label.text, label.intent, label.source, label.who, label.labelled_at.isoformat()))
    return len(labels)
