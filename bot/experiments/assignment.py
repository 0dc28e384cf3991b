"""Which arm an order is in: drawn by a stable hash, recorded once, never changed.

The draw is sha256 of (experiment id, the order's code or the customer's id), so every replica
draws the same arm without asking another; the row in `experiment_assignments` (UNIQUE order)
is the record: a second draw for the same order, on any replica, is a no-op. Customers who
opted out are never assigned, so they can never be counted as an effect of an arm.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.experiments.spec import Arm, ExperimentSpec
from bot.experiments.store import RUNNING
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import Contact, Experiment, ExperimentAssignment, Order


@dataclass(frozen=True, slots=True)
class Running:
    """The experiment now running: orders placed since `started_at` take part."""

    id: int
    spec: ExperimentSpec
    started_at: datetime


@dataclass(frozen=True, slots=True)
class Candidate:
    order_id: int
    order_code: str
    contact_id: int | None


def draw(spec: ExperimentSpec, experiment_id: int, key: str) -> Arm:
    """The arm for `key`, the same on every call and every machine, in proportion to the weights."""
    digest = hashlib.sha256(f"{experiment_id}:{key}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64 * sum(arm.weight for arm in spec.arms)
    for arm in spec.arms:
        point -= arm.weight
        if point < 0:
            return arm
    return spec.arms[-1]  # float rounding at the very top of the range


def unit_key(spec: ExperimentSpec, candidate: Candidate) -> str:
    if spec.unit == "customer" and candidate.contact_id is not None:
        return f"customer:{candidate.contact_id}"
    return f"order:{candidate.order_code}"


async def running_experiment(session: AsyncSession) -> Running | None:
    found = (await session.execute(
        select(Experiment.id, Experiment.spec, Experiment.started_at).where(Experiment.status == RUNNING)
    )).first()
    if found is None or found.started_at is None:
        return None
    return Running(found.id, ExperimentSpec.model_validate(found.spec), found.started_at)


async def assign(session: AsyncSession, experiment: Running, candidates: Sequence[Candidate], now: datetime) -> None:
    """Record the arm of each candidate whose customer has not opted out (one executemany);
    orders already assigned keep their arm."""
    excluded = await _opted_out(session, {c.contact_id for c in candidates if c.contact_id is not None})
    rows = [
        {"experiment_id": experiment.id, "order_id": c.order_id, "contact_id": c.contact_id,
         "arm": draw(experiment.spec, experiment.id, unit_key(experiment.spec, c)).name, "assigned_at": now}
        for c in candidates if c.contact_id not in excluded
    ]
    if rows:
        await session.execute(insert_ignoring_conflicts(session, ExperimentAssignment.__table__), rows)


async def _opted_out(session: AsyncSession, contact_ids: set[int]) -> set[int | None]:
    if not contact_ids:
        return set()
    found = await session.scalars(select(Contact.id).where(
        Contact.id.in_(contact_ids), or_(Contact.opted_out_at.is_not(None), Contact.notices_off.is_(True))
    ))
    return set(found)


async def variant_for(session: AsyncSession, order: Order, now: datetime) -> Arm | None:
    """The arm whose journey this order gets while its experiment runs, assigning a new order on
    first sight; None: the ordinary journey (no experiment, an older order, an opted-out customer)."""
    experiment = await running_experiment(session)
    if experiment is None:
        return None
    arm = await _recorded_arm(session, experiment.id, order.id)
    if arm is None and order.created_at >= experiment.started_at:
        await assign(session, experiment, [Candidate(order.id, order.code, order.contact_id)], now)
        arm = await _recorded_arm(session, experiment.id, order.id)
    return None if arm is None else experiment.spec.arm(arm)


async def _recorded_arm(session: AsyncSession, experiment_id: int, order_id: int) -> str | None:
    return await session.scalar(select(ExperimentAssignment.arm).where(
        ExperimentAssignment.order_id == order_id, ExperimentAssignment.experiment_id == experiment_id,
    ))
