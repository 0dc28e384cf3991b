"""An experiment as the API and the dashboard show it: its arms, its state, and its results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.experiments.outcomes import outcomes_of
from bot.experiments.results import results
from bot.experiments.spec import ExperimentSpec
from bot.experiments.store import all_experiments
from bot.storage.models import Experiment


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def summary(experiment: Experiment) -> dict[str, Any]:
    return {
        "id": experiment.id, "name": experiment.name, "status": experiment.status, "spec": experiment.spec,
        "created_at": _iso(experiment.created_at), "started_at": _iso(experiment.started_at),
        "stopped_at": _iso(experiment.stopped_at),
    }


async def experiment_report(session: AsyncSession, experiment: Experiment, now: datetime) -> dict[str, Any]:
    """The summary with every outcome per arm; a draft has no orders yet, so no results."""
    spec = ExperimentSpec.model_validate(experiment.spec)
    found = [] if experiment.started_at is None else await outcomes_of(session, experiment.id, now)
    return {**summary(experiment), "results": results(spec, found)}


async def reports(session: AsyncSession, now: datetime, latest: int = 3) -> list[dict[str, Any]]:
    """The `latest` started experiments' reports, the newest first (for /api/v1/metrics and the
    dashboard): each reads every order of its experiment, so older ones are asked for one by one."""
    started = [e for e in await all_experiments(session) if e.started_at is not None][:latest]
    return [await experiment_report(session, experiment, now) for experiment in started]
