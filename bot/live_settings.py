"""The shop's settings as they are now: the environment's, with what admins changed in the browser.

The effective value stays the frozen `Settings` every reader already takes; a change swaps it
whole, so a reader never sees half of one. `EDITABLE` declares what admins may change: one line a
field, naming a `Settings` field (whose own validators check the value), the kind of input it
takes, and its label in Vietnamese and English.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Mapping

from pydantic import ValidationError

from bot.config import Settings


class InputKind(StrEnum):
    """How a value is written, so the form can say it (words: settings.kinds)."""

    TEXT = "text"
    NUMBER = "number"
    DURATION = "duration"  # 90s, 15m, 3h, 7d
    HOURS = "hours"  # 21:00-08:00 or off


@dataclass(frozen=True, slots=True)
class Editable:
    name: str  # a Settings field
    kind: InputKind
    vi: str
    en: str


EDITABLE: tuple[Editable, ...] = (
    Editable("shop_name", InputKind.TEXT, "Tên shop", "Shop name"),
    Editable("coupon_percent", InputKind.NUMBER, "Mã cảm ơn: giảm (%)", "Thank-you coupon: percent off"),
    Editable("coupon_valid_days", InputKind.NUMBER, "Mã cảm ơn: hạn dùng (ngày)", "Thank-you coupon: valid for (days)"),
    Editable("thanks_delay", InputKind.DURATION, "Gửi lời cảm ơn sau khi giao", "Thank-you after delivery"),
    Editable("nps_delay", InputKind.DURATION, "Hỏi NPS sau khi giao", "NPS question after delivery"),
    Editable("quiet_hours", InputKind.HOURS, "Giờ yên lặng (không nhắn chủ động)", "Quiet hours (no proactive messages)"),
    Editable("business_hours", InputKind.HOURS, "Giờ làm việc của nhân viên", "Staff business hours"),
    Editable("daily_proactive_cap", InputKind.NUMBER, "Tối đa tin chủ động mỗi khách mỗi ngày",
             "Proactive messages per customer per day, at most"),
    # the shop answering about itself (issue 13)
    Editable("shop_address", InputKind.TEXT, "Địa chỉ shop", "Shop address"),
    Editable("shop_hotline", InputKind.TEXT, "Hotline", "Hotline"),
    Editable("faq", InputKind.TEXT, "Câu hỏi thường gặp về sản phẩm (link hoặc nội dung)",
             "Product FAQ (a link or the text)"),
)
EDITABLE_NAMES = frozenset(field.name for field in EDITABLE)


class Refused(ValueError):
    """Values the settings refuse, with the reason for each field."""

    def __init__(self, reasons: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in reasons.items()))
        self.reasons = dict(reasons)


def bounds(name: str) -> tuple[int | None, int | None]:
    """The least and greatest value a number setting takes (its field's ge/le), for the form."""
    least = most = None
    for rule in Settings.model_fields[name].metadata:
        least = getattr(rule, "ge", least)
        most = getattr(rule, "le", most)
    return least, most


def spelled(settings: Settings, name: str) -> str:
    """A setting's value as an environment variable spells it (what the form shows and the
    database stores)."""
    return str(getattr(settings, name))


def effective(env: Settings, overrides: Mapping[str, str]) -> Settings:
    """`env` with `overrides` applied, each checked by the field's own validators; raises Refused
    naming every field that is not editable or whose value is not valid."""
    unknown = {name: "not an editable setting" for name in overrides if name not in EDITABLE_NAMES}
    if unknown:
        raise Refused(unknown)
    values: dict[str, Any] = {**env.model_dump(), **overrides}
    try:
        checked = Settings.model_validate(values)
    except ValidationError as failure:
        raise Refused({str(error["loc"][0]): error["msg"] for error in failure.errors()}) from failure
    return env.model_copy(update={name: getattr(checked, name) for name in overrides})


class LiveSettings:
    """What `runtime.settings` and `services.settings` return: the current effective settings."""

    def __init__(self, env: Settings) -> None:
        self.env = env
        self._current = env
        self._overrides: dict[str, str] = {}

    @property
    def current(self) -> Settings:
        return self._current

    @property
    def overrides(self) -> dict[str, str]:
        return dict(self._overrides)

    def apply(self, overrides: Mapping[str, str]) -> dict[str, str]:
        """Take the stored overrides; one a newer validator refuses is left out (and returned with
        its reason) rather than keeping the others from taking effect."""
        wanted, dropped = dict(overrides), {}
        while True:
            try:
                current = effective(self.env, wanted)
                break
            except Refused as refused:
                dropped.update(refused.reasons)
                wanted = {name: value for name, value in wanted.items() if name not in refused.reasons}
        self._current, self._overrides = current, wanted
        return dropped
