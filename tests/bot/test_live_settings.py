"""The effective settings: the environment's, with the overrides admins stored."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.live_settings import LiveSettings, Refused, effective

ENV = Settings.from_env({"HAUMAI_COUPON_PERCENT": "12", "HAUMAI_QUIET_HOURS": "22:00-07:00"}, read_dotenv=False)


def test_overrides_are_typed_by_the_settings_fields() -> None:
    settings = effective(ENV, {"coupon_percent": "15", "quiet_hours": "off"})
    assert settings.coupon_percent == 15 and settings.quiet is None


def test_what_is_not_overridden_keeps_the_environments_value() -> None:
    assert effective(ENV, {"coupon_percent": "15"}).quiet_hours == "22:00-07:00"


def test_every_refused_value_is_named_with_its_reason() -> None:
    with pytest.raises(Refused) as refused:
        effective(ENV, {"coupon_percent": "150", "thanks_delay": "soon", "shop_name": "Tiệm"})
    assert set(refused.value.reasons) == {"coupon_percent", "thanks_delay"}


def test_a_setting_outside_the_editable_list_is_refused() -> None:
    with pytest.raises(Refused) as refused:
        effective(ENV, {"database_url": "sqlite+aiosqlite:///elsewhere.db"})
    assert "database_url" in refused.value.reasons


def test_a_stored_value_a_newer_validator_refuses_is_left_out_and_the_others_apply() -> None:
    live = LiveSettings(ENV)
    dropped = live.apply({"coupon_percent": "abc", "nps_delay": "1d"})
    assert set(dropped) == {"coupon_percent"}
    assert live.current.coupon_percent == 12 and live.current.nps_delay == "1d"
