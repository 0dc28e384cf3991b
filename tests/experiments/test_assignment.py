"""Each order draws its arm once: by a stable hash, in proportion to the weights, never redrawn;
customers who opted out are never in an experiment; one experiment runs at a time."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.experiments.assignment import Running, draw, running_experiment
from bot.experiments.report import experiment_report
from bot.experiments.spec import ExperimentSpec
from bot.experiments.store import ExperimentRefused, create, start, stop
from bot.storage.models import Contact, Experiment, ExperimentAssignment
from tests.experiments.shop import Shop, assigned

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
SPEC = ExperimentSpec.model_validate({"name": "coupon", "arms": [
    {"name": "control", "weight": 1}, {"name": "coupon15", "weight": 3, "coupon_percent": 15}]})


async def started(sessions: async_sessionmaker[AsyncSession], spec: ExperimentSpec = SPEC) -> Running:
    async with sessions.begin() as session:
        experiment = await create(session, spec, NOW)
        await start(session, experiment.id, NOW)
        running = await running_experiment(session)
    assert running is not None
    return running


@given(key=st.text(max_size=80), experiment_id=st.integers(min_value=1, max_value=2**40))
def test_the_same_order_always_draws_the_same_arm(key: str, experiment_id: int) -> None:
    assert draw(SPEC, experiment_id, key) == draw(SPEC, experiment_id, key)


def test_arms_are_drawn_in_proportion_to_their_weights() -> None:
    drawn = Counter(draw(SPEC, 7, f"order:HM{n}").name for n in range(20_000))
    assert abs(drawn["coupon15"] / 20_000 - 0.75) < 0.02


async def test_an_assignment_is_recorded_once_and_never_changes(sessions: async_sessionmaker[AsyncSession]) -> None:
    running, shop = await started(sessions), Shop()
    async with sessions.begin() as session:
        orders = await shop.customers_order(session, 50, NOW)
        first = await assigned(session, running, orders, NOW)
    changed = Running(running.id, ExperimentSpec.model_validate({"name": "other weights", "arms": [
        {"name": "control", "weight": 1000}, {"name": "coupon15", "weight": 1}]}), running.started_at)
    async with sessions.begin() as session:
        again = await assigned(session, changed, orders, NOW + timedelta(days=1))
        rows = await session.scalar(select(func.count()).select_from(ExperimentAssignment))
    assert again == first and rows == 50


async def test_customers_who_opted_out_are_never_assigned(sessions: async_sessionmaker[AsyncSession]) -> None:
    running, shop = await started(sessions), Shop()
    async with sessions.begin() as session:
        orders = await shop.customers_order(session, 40, NOW, opted_out=True)
        arms = await assigned(session, running, orders, NOW)
    assert arms == {}


async def test_a_customer_who_opts_out_later_is_not_counted(sessions: async_sessionmaker[AsyncSession]) -> None:
    running, shop = await started(sessions), Shop()
    async with sessions.begin() as session:
        orders = await shop.customers_order(session, 40, NOW)
        await assigned(session, running, orders, NOW)
        await session.execute(update(Contact).where(Contact.id <= 10).values(opted_out_at=NOW + timedelta(days=1)))
    async with sessions() as session:
        report = await experiment_report(session, await session.get_one(Experiment, running.id), NOW)
    assert sum(report["results"]["orders"].values()) == 30


async def test_a_second_experiment_cannot_start_while_one_runs(sessions: async_sessionmaker[AsyncSession]) -> None:
    first = await started(sessions)
    async with sessions.begin() as session:
        second = await create(session, SPEC, NOW)
        with pytest.raises(ExperimentRefused) as refused:
            await start(session, second.id, NOW)
    assert refused.value.reason == "another_running"
    async with sessions.begin() as session:
        await stop(session, first.id, NOW)
        await start(session, second.id, NOW)
        now_running = await running_experiment(session)
    assert now_running is not None and now_running.id == second.id
