"""A sale month on the clock: does telling customers where their order is change what they do?

The model of the customers (stated here, since the test's verdicts follow from it):
- 20,000 orders over 30 days, each from a new customer, in three arms: hold-out (10 %, no
  proactive notices), control (45 %) and `thanks_2h` (45 %, the thank-you 2 h after delivery
  instead of 3 h: a change with no effect on anything measured here).
- A customer who was told (control, thanks_2h) asks "where is my order?" on each of two
  occasions with probability 8 %, and cancels with probability 3 %.
- A customer who was not told (hold-out) asks on each occasion with probability 25 %, and
  cancels with probability 6 % (more anxious cancellations).
So the hold-out must show more WISMO contacts and more cancellations, each with an interval
excluding zero, and `thanks_2h` must be reported as "not enough data yet".
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.experiments.assignment import running_experiment
from bot.experiments.report import experiment_report
from bot.experiments.results import NOT_ENOUGH
from bot.experiments.spec import ExperimentSpec
from bot.experiments.store import create, start
from bot.storage.models import Experiment
from tests.apps import MovableClock
from tests.experiments.shop import Shop, assigned, cancel

ORDERS, DAYS = 20_000, 30
SALE_START = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)
ASKS = {True: 0.08, False: 0.25}  # told → chance to ask on each of two occasions
CANCELS = {True: 0.03, False: 0.06}
SPEC = ExperimentSpec.model_validate({"name": "notices during the sale", "arms": [
    {"name": "holdout", "weight": 10, "holdout": True},
    {"name": "control", "weight": 45},
    {"name": "thanks_2h", "weight": 45, "thanks_delay": "2h"},
]})


async def run_sale_month(sessions: async_sessionmaker[AsyncSession], clock: MovableClock) -> Experiment:
    chance, shop = random.Random(16), Shop()
    async with sessions.begin() as session:
        experiment = await create(session, SPEC, clock())
        await start(session, experiment.id, clock())
        running = await running_experiment(session)
    assert running is not None
    for _ in range(DAYS):
        async with sessions.begin() as session:
            orders = await shop.customers_order(session, ORDERS // DAYS + 1, clock())
            arms = await assigned(session, running, orders, clock())
            cancelled = []
            for order_id, arm in arms.items():
                told = not SPEC.arm(arm).holdout
                for hours in (30, 60):
                    if chance.random() < ASKS[told]:
                        shop.asks_where(order_id, clock() + timedelta(hours=hours))
                if chance.random() < CANCELS[told]:
                    cancelled.append(order_id)
            await shop.flush(session)
            await cancel(session, cancelled)
        clock.advance(days=1)
    return experiment


async def test_the_holdout_shows_what_notices_change_and_a_change_without_effect_is_not_called(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = MovableClock(SALE_START)
    experiment = await run_sale_month(sessions, clock)
    async with sessions() as session:
        report = await experiment_report(session, await session.get_one(Experiment, experiment.id), clock())
    outcomes = report["results"]["outcomes"]
    wismo, cancels = outcomes["wismo_contacts_per_order"], outcomes["cancellations_per_order"]
    assert sum(report["results"]["orders"].values()) >= ORDERS
    for outcome in (wismo, cancels):
        holdout = outcome["vs_control"]["holdout"]
        assert holdout["verdict"] == "higher" and holdout["interval"][0] > 0
        assert holdout["interval"][0] < holdout["difference"] < holdout["interval"][1]
        variant = outcome["vs_control"]["thanks_2h"]
        assert variant["verdict"] == NOT_ENOUGH and variant["interval"][0] < 0 < variant["interval"][1]
        assert variant["orders_needed"] > 0
    assert abs(wismo["vs_control"]["holdout"]["difference"] - 2 * (ASKS[False] - ASKS[True])) < 0.05
    assert report["results"]["confidence"] == 1 - 0.05 / 2  # two arms compared with control: Bonferroni
