"""Each arm compared with control, outcome by outcome, with an interval from statsmodels.

An interval is at 95 % overall: with k arms compared with control each is widened to
1 − 0.05/k (Bonferroni), so looking at several arms does not find effects by chance. A result is
called only when its interval excludes zero; until then it is "not enough data yet", with how
many more orders (of all arms together, at their weights) would let a difference of the size seen
so far (Cohen's h or d, at least SMALLEST_EFFECT) show with 80 % power (statsmodels
NormalIndPower); before MIN_PER_ARM orders per arm, an effect Cohen calls small (FIRST_GUESS).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from bot.experiments.outcomes import REPEAT_DAYS, OrderOutcome
from bot.experiments.spec import CONTROL, ExperimentSpec

ALPHA = 0.05
POWER = 0.8
SMALLEST_EFFECT = 0.02
FIRST_GUESS = 0.2
MIN_PER_ARM = 30  # below this no interval is trusted, whatever it says
NOT_ENOUGH = "not enough data yet"
RETURNS_NOTE = "returns are read from order statuses (returning, returned): there is no returns table yet"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One measured outcome: `value` reads it from an order (None: not applicable to that order)."""

    name: str
    binary: bool
    lower_is_better: bool
    value: Callable[[OrderOutcome], float | None]


def _nps_points(outcome: OrderOutcome) -> float | None:
    """A promoter counts +100, a detractor −100, a passive 0: their mean is the arm's NPS."""
    if outcome.nps is None:
        return None
    return 100.0 if outcome.nps >= 9 else -100.0 if outcome.nps <= 6 else 0.0


def _flag(value: bool | None) -> float | None:
    return None if value is None else float(value)


def _repeat(days: int) -> Outcome:
    return Outcome(f"repeat_purchase_{days}d", True, False, lambda o: _flag(o.repeat.get(days)))


OUTCOMES = (
    Outcome("wismo_contacts_per_order", False, True, lambda o: float(o.wismo)),
    Outcome("cancellations_per_order", True, True, lambda o: float(o.cancelled)),
    Outcome("returns_per_order", True, True, lambda o: float(o.returned)),
    Outcome("csat", False, False, lambda o: None if o.csat is None else float(o.csat)),
    Outcome("nps", False, False, _nps_points),
    Outcome("coupon_redemption", True, False, lambda o: _flag(o.coupon_redeemed)),
    *(_repeat(days) for days in REPEAT_DAYS),
)


def results(spec: ExperimentSpec, outcomes: Sequence[OrderOutcome]) -> dict[str, Any]:
    compared = [arm.name for arm in spec.compared]
    alpha = ALPHA / max(1, len(compared))
    counts = {arm.name: sum(1 for o in outcomes if o.arm == arm.name) for arm in spec.arms}
    total_weight = sum(arm.weight for arm in spec.arms)
    shares = {arm.name: arm.weight / total_weight for arm in spec.arms}
    report: dict[str, Any] = {}
    for outcome in OUTCOMES:
        values = {arm: [v for o in outcomes if o.arm == arm and (v := outcome.value(o)) is not None] for arm in counts}
        report[outcome.name] = {
            "kind": "proportion" if outcome.binary else "mean",
            "lower_is_better": outcome.lower_is_better,
            "arms": {arm: {"n": len(v), "value": _mean(v)} for arm, v in values.items()},
            "vs_control": {arm: _compare(outcome, values[arm], values[CONTROL], alpha, shares[arm], shares[CONTROL])
                           for arm in compared},
        }
    return {"orders": counts, "confidence": 1 - alpha, "outcomes": report, "notes": [RETURNS_NOTE]}


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _compare(outcome: Outcome, arm: list[float], control: list[float], alpha: float,
             arm_share: float, control_share: float) -> dict[str, Any]:
    if len(arm) < MIN_PER_ARM or len(control) < MIN_PER_ARM:
        first = _orders_needed(FIRST_GUESS, len(arm), len(control), alpha, arm_share, control_share)
        return {"difference": None, "interval": None, "verdict": NOT_ENOUGH, "orders_needed": first}
    low, high, effect = (_proportions if outcome.binary else _means)(arm, control, alpha)
    difference = sum(arm) / len(arm) - sum(control) / len(control)
    called = low > 0 or high < 0
    verdict = ("higher" if difference > 0 else "lower") if called else NOT_ENOUGH
    needed = None if called else _orders_needed(max(abs(effect), SMALLEST_EFFECT), len(arm), len(control), alpha,
                                                 arm_share, control_share)
    return {"difference": round(difference, 4), "interval": [round(low, 4), round(high, 4)], "verdict": verdict,
            "orders_needed": needed}


def _proportions(arm: list[float], control: list[float], alpha: float) -> tuple[float, float, float]:
    """Newcomb's interval for the difference of two proportions; the effect size is Cohen's h."""
    from statsmodels.stats.proportion import confint_proportions_2indep, proportion_effectsize  # see _orders_needed

    hits, controls = int(sum(arm)), int(sum(control))
    low, high = confint_proportions_2indep(hits, len(arm), controls, len(control), method="newcomb",
                                           compare="diff", alpha=alpha)
    effect = proportion_effectsize(hits / len(arm), controls / len(control))
    return float(low), float(high), _finite(effect)


def _means(arm: list[float], control: list[float], alpha: float) -> tuple[float, float, float]:
    """Welch's interval for the difference of two means; the effect size is Cohen's d."""
    from statsmodels.stats.weightstats import CompareMeans, DescrStatsW  # see _orders_needed

    first, second = DescrStatsW(arm), DescrStatsW(control)
    if first.var == 0 and second.var == 0:  # every answer alike in both arms: the difference is exact
        difference = float(first.mean - second.mean)
        return difference, difference, 0.0
    low, high = CompareMeans(first, second).tconfint_diff(alpha=alpha, usevar="unequal")
    spread = math.sqrt((first.var + second.var) / 2)
    effect = (first.mean - second.mean) / spread if spread > 0 else 0.0
    return float(low), float(high), _finite(effect)


def _finite(value: Any) -> float:
    number = float(value)
    return number if math.isfinite(number) else 0.0


def _orders_needed(effect: float, arm: int, control: int, alpha: float, arm_share: float,
                   control_share: float) -> int | None:
    """More orders, all arms together, until both this arm and control reach the size needed; at
    least one, as an interval still holding zero says more are needed even where the size is reached."""
    from statsmodels.stats.power import NormalIndPower  # imported when results are asked for: statsmodels
    # brings scipy and pandas (~90 MB), which every replica would otherwise carry for a page rarely opened

    ratio = control_share / arm_share
    per_arm = float(NormalIndPower().solve_power(effect_size=effect, alpha=alpha, power=POWER, ratio=ratio))
    if not math.isfinite(per_arm):  # the solver did not converge: better no number than a wrong one
        return None
    short = max((per_arm - arm) / arm_share, (per_arm * ratio - control) / control_share, 0.0)
    return max(1, math.ceil(short))
