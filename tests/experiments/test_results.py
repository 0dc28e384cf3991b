"""The comparison's edges: identical answers, tiny arms, and what is reported then."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from bot.experiments.outcomes import OrderOutcome
from bot.experiments.results import NOT_ENOUGH, results
from bot.experiments.spec import ExperimentSpec

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
SPEC = ExperimentSpec.model_validate({"name": "x", "arms": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1}]})


def orders(arm: str, count: int, csat: int, start: int = 0) -> list[OrderOutcome]:
    return [OrderOutcome(start + n, arm, start + n, NOW, cancelled=False, returned=False, csat=csat) for n in range(count)]


def test_identical_answers_in_each_arm_give_an_exact_difference_and_valid_json() -> None:
    report = results(SPEC, orders("control", 40, 4) + orders("b", 40, 5, start=100))
    csat = report["outcomes"]["csat"]["vs_control"]["b"]
    assert csat["interval"] == [1.0, 1.0] and csat["verdict"] == "higher"
    json.dumps(report, allow_nan=False)


def test_a_few_orders_are_not_enough_whatever_they_show() -> None:
    report = results(SPEC, orders("control", 5, 1) + orders("b", 5, 5, start=100))
    csat = report["outcomes"]["csat"]["vs_control"]["b"]
    assert csat["verdict"] == NOT_ENOUGH and csat["interval"] is None and csat["orders_needed"] > 0
