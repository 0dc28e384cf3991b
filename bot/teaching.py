"""What the shop teaches the bot: labelled messages, and understanding that honours them.

A label is a message with the intent it really had, from a person correcting the bot in the
inbox or a customer tapping the intent they meant. The shop's word is final for those exact
words (after folding) from the next message on; the learned model takes labels in when it
retrains (bot.retraining), so similar words follow.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.nlu import Classification, Intent, classify, fold
from bot.storage.models import LabelSource, NluLabel

FOLDED_LENGTH = 500  # the indexed column's size; longer messages are matched on their start
TAUGHT = 1.0  # the confidence of a taught intent: never asked about again


def folded_key(text: str) -> str:
    return fold(text)[:FOLDED_LENGTH]


async def understood(session: AsyncSession, text: str) -> Classification:
    """The classifier's reading, with the intent the shop taught for these words when it did."""
    classification = classify(text)
    taught = await session.scalar(
        select(NluLabel.intent).where(NluLabel.folded == folded_key(text)).order_by(NluLabel.id.desc()).limit(1)
    )
    if taught is None or taught not in Intent.__members__.values():
        return classification
    return taught_as(classification, Intent(taught))


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
