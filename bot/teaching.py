"""What the shop teaches the bot: labelled messages, and understanding that honours them.

A label is a message with the intent it really had, from a person correcting the bot in the
inbox or a customer tapping the intent they meant. The shop's word is final for those exact
words (after folding) from the next message on; the learned model takes labels in when it
retrains (bot.retraining), so similar words follow.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.nlu import Classification, Intent, classify, fold
from bot.storage.dialect import one_of
from bot.storage.models import LabelSource, NluLabel

FOLDED_LENGTH = 500  # the indexed column's size; longer messages are matched on their start
TAUGHT = 1.0  # the confidence of a taught intent: never asked about again
_labels = NluLabel.__table__
_BATCH = "haumai.teaching.batch"  # the folded texts of the turns sharing this transaction (share_batch)
_TAUGHT = "haumai.teaching.taught"  # folded text → the intent taught for it (None: none), read once per transaction
_READ = "haumai.teaching.read"  # (text, order code pattern) → the classifier's reading, for the batch's texts
# Built once, a Core statement: asked on every typed message, where building the ORM select and
# loading through the ORM cost more than the classifier itself (the profile in docs/performance.md).
# Oldest first, so the latest label for the same words is the one kept.
_TAUGHT_FOR = select(_labels.c.folded, _labels.c.intent).where(
    one_of(_labels.c.folded, "folded")
).order_by(_labels.c.id)


def folded_key(text: str) -> str:
    return fold(text)[:FOLDED_LENGTH]


def share_batch(session: AsyncSession, texts: Iterable[str], order_code_pattern: str | None) -> list[Classification]:
    """Name the texts whose turns run in this transaction, and read them now: the first one
    understood then reads the labels of all of them in one SELECT, instead of one SELECT a turn,
    and the batch learns every order code its turns will ask about (`bot.orders.share_batch`)."""
    read = {(text, order_code_pattern): classify(text, order_code_pattern=order_code_pattern) for text in texts if text}
    session.info[_READ] = read
    session.info[_BATCH] = {folded_key(text) for text, _ in read}
    return list(read.values())


async def understood(session: AsyncSession, text: str, order_code_pattern: str | None = None) -> Classification:
    """The classifier's reading, with the intent the shop taught for these words when it did."""
    classification = session.info.get(_READ, {}).get((text, order_code_pattern)) or classify(
        text, order_code_pattern=order_code_pattern
    )
    taught = await _taught(session, folded_key(text))
    if taught is None or taught not in Intent.__members__.values():
        return classification
    return taught_as(classification, Intent(taught))


async def _taught(session: AsyncSession, folded: str) -> str | None:
    """The intent taught for these words; on the batch's first call, for every batch text at once.

    A label added in this transaction is not seen before it commits, as before batching (the
    batch does not flush between turns)."""
    taught: dict[str, str | None] = session.info.setdefault(_TAUGHT, {})
    if folded not in taught:  # first of the batch, or words the batch did not name (a clarified message)
        batch: set[str] = session.info.get(_BATCH, set())
        wanted = [key for key in batch if key not in taught] if folded in batch else [folded]
        taught.update(dict.fromkeys(wanted))
        for key, intent in await session.execute(_TAUGHT_FOR, {"folded": wanted}):
            taught[key] = intent
    return taught[folded]


def taught_as(classification: Classification, intent: Intent) -> Classification:
    """The same message (entities, language, complaint) understood as `intent`, without doubt."""
    return dataclasses.replace(classification, intent=intent, confidence=TAUGHT, evidence=("taught",), alternatives=())


def add_label(session: AsyncSession, text: str, intent: Intent, source: LabelSource, who: str, now: datetime,
              message_id: int | None = None) -> None:
    session.add(NluLabel(text=text, folded=folded_key(text), intent=intent.value, source=source.value, who=who,
                         message_id=message_id, labelled_at=now))


async def all_labels(session: AsyncSession) -> Sequence[NluLabel]:
    """Oldest first, so a later correction of the same words comes after the one it corrects."""
    return (await session.scalars(select(NluLabel).order_by(NluLabel.id))).all()
