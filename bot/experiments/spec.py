"""What an experiment is: named arms with weights, each arm a way to run the journey.

`control` is the journey as configured and the reference every other arm is compared with. A
`holdout` arm gets no proactive status notices, so the shop sees what the notices change. Other
arms override one or more journey choices: the thank-you delay, the coupon's percent, a template
by another of the shop's templates, or the out-for-delivery notice without the shipper's phone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.config import Settings, parse_duration
from content.renderer import LANGUAGES, Problem, Renderer

CONTROL = "control"
ARM_NAME = r"^[a-z0-9][a-z0-9_-]{0,39}$"
TEMPLATE_NAME = r"^[a-z0-9_]+(/[a-z0-9_]+)*$"


class Arm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=ARM_NAME)
    weight: float = Field(gt=0, le=1000)
    holdout: bool = False
    thanks_delay: str | None = None
    coupon_percent: int | None = Field(default=None, ge=1, le=100)
    templates: dict[str, str] = Field(default_factory=dict, max_length=20)  # journey template → the arm's own
    shipper_phone: bool = True

    @field_validator("thanks_delay")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    @field_validator("templates")
    @classmethod
    def _template_names(cls, value: dict[str, str]) -> dict[str, str]:
        for name in (*value.keys(), *value.values()):
            if not re.match(TEMPLATE_NAME, name) or len(name) > 100:
                msg = f"not a template name: {name!r} (e.g. thanks_coupon, notice/delivered)"
                raise ValueError(msg)
        return value

    @property
    def thanks_after(self) -> timedelta | None:
        return None if self.thanks_delay is None else parse_duration(self.thanks_delay)

    def template(self, name: str) -> str:
        """The template this arm sends where the journey would send `name`."""
        return self.templates.get(name, name)


class ExperimentSpec(BaseModel):
    """An experiment as created; `unit` says whether each order or each customer draws an arm."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=100)
    arms: list[Arm] = Field(min_length=2, max_length=10)
    unit: Literal["order", "customer"] = "order"

    @model_validator(mode="after")
    def _arms_make_sense(self) -> ExperimentSpec:
        names = [arm.name for arm in self.arms]
        if len(set(names)) != len(names):
            raise ValueError("arm names must be different")
        if CONTROL not in names:
            raise ValueError(f"one arm must be named {CONTROL!r}: the journey as it is, the reference")
        if self.arm(CONTROL).holdout:
            raise ValueError("the control arm cannot be the hold-out")
        return self

    def arm(self, name: str) -> Arm:
        return next(arm for arm in self.arms if arm.name == name)

    @property
    def compared(self) -> list[Arm]:
        """Every arm but control: each is compared with control, hence the Bonferroni widening."""
        return [arm for arm in self.arms if arm.name != CONTROL]


@dataclass(frozen=True, slots=True)
class Choices:
    """What the journey does for one order: the shop's settings, with its arm's overrides."""

    notices: bool
    thanks_after: timedelta
    coupon_percent: int
    shipper_phone: bool
    templates: Mapping[str, str]

    def template(self, name: str) -> str:
        return self.templates.get(name, name)


def choices_for(settings: Settings, arm: Arm | None) -> Choices:
    """The journey's choices for an order in `arm` (None: not in an experiment, the settings alone)."""
    if arm is None:
        return Choices(True, settings.thanks_after, settings.coupon_percent, True, {})
    return Choices(
        notices=not arm.holdout, thanks_after=arm.thanks_after or settings.thanks_after,
        coupon_percent=arm.coupon_percent or settings.coupon_percent, shipper_phone=arm.shipper_phone,
        templates=arm.templates,
    )


def template_problems(spec: ExperimentSpec, renderer: Renderer) -> list[str]:
    """Why an arm's template cannot stand in for the journey's: it does not exist, or, tried in
    the journey template's place in each language, it fails or drops a button label."""
    known, problems = set(renderer.names()), []
    for arm in spec.arms:
        for journey_name, own in arm.templates.items():
            unknown = sorted({journey_name, own} - known)
            if unknown:
                problems.append(f"{arm.name}: no such template: {', '.join(unknown)}")
                continue
            for language in LANGUAGES:
                tried = renderer.trial(language, journey_name, renderer.source(language, own))
                if isinstance(tried, Problem):
                    problems.append(f"{arm.name}: {own} cannot replace {journey_name} ({language}): {tried.error}")
    return problems
