"""Creating, starting and stopping experiments: each a conditional UPDATE, so replicas agree.

Starting takes the single running slot (UNIQUE), so a second experiment cannot start while one
runs; a stopped experiment stays stopped (its orders keep their arms, for the results).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.experiments.spec import ExperimentSpec
from bot.storage.models import Experiment

DRAFT, RUNNING, STOPPED = "draft", "running", "stopped"


class ExperimentRefused(Exception):
    """Why a start or stop cannot happen: `reason` is a stable code, the message says it to people."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


async def create(session: AsyncSession, spec: ExperimentSpec, now: datetime) -> Experiment:
    experiment = Experiment(name=spec.name, spec=spec.model_dump(mode="json"), status=DRAFT, created_at=now)
    session.add(experiment)
    await session.flush()
    return experiment


async def start(session: AsyncSession, experiment_id: int, now: datetime) -> Experiment:
    experiment = await _existing(session, experiment_id)
    if experiment.status != DRAFT:
        raise ExperimentRefused("not_draft", f"the experiment is {experiment.status}; only a draft can start")
    try:
        async with session.begin_nested():
            await session.execute(
                update(Experiment).where(Experiment.id == experiment_id, Experiment.status == DRAFT)
                .values(status=RUNNING, running_slot=1, started_at=now)
            )
    except IntegrityError:
        raise ExperimentRefused("another_running", "another experiment is running; stop it first") from None
    await session.refresh(experiment)
    return experiment


async def stop(session: AsyncSession, experiment_id: int, now: datetime) -> Experiment:
    experiment = await _existing(session, experiment_id)
    if experiment.status != RUNNING:
        raise ExperimentRefused("not_running", f"the experiment is {experiment.status}; only a running one can stop")
    experiment.status, experiment.running_slot, experiment.stopped_at = STOPPED, None, now
    await session.flush()
    return experiment


async def all_experiments(session: AsyncSession) -> list[Experiment]:
    return list(await session.scalars(select(Experiment).order_by(Experiment.id.desc()).limit(200)))


async def _existing(session: AsyncSession, experiment_id: int) -> Experiment:
    experiment = await session.get(Experiment, experiment_id)
    if experiment is None:
        raise ExperimentRefused("not_found", "no such experiment")
    return experiment
