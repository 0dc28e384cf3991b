"""`haumai returns policy` prints the policy in force; its help names every setting and default."""

from __future__ import annotations

from tests.bot.test_cli import haumai


def test_the_policy_in_force_is_printed_with_each_setting() -> None:
    result = haumai("returns", "policy", env={"HAUMAI_RETURNS_WINDOW_DAYS": "10", "HAUMAI_RETURNS_EXCLUDED": "đồ lót,sale"})
    assert result.returncode == 0
    assert "HAUMAI_RETURNS_WINDOW_DAYS=10" in result.stdout and "HAUMAI_RETURNS_EXCLUDED=đồ lót,sale" in result.stdout


def test_the_help_lists_every_setting_with_its_default() -> None:
    result = haumai("returns", "--help")
    assert "HAUMAI_RETURNS_EXCHANGE_WINDOW_DAYS (default 14)" in result.stdout
    assert "HAUMAI_RETURNS_PHOTO_REASONS (default 'broken,not_as_pictured')" in result.stdout


def test_an_unknown_reason_is_a_clear_error_and_a_non_zero_exit() -> None:
    result = haumai("returns", "policy", env={"HAUMAI_RETURNS_FREE_REASONS": "too_small,whatever"})
    assert result.returncode == 2 and "HAUMAI_RETURNS_FREE_REASONS" in result.stderr and "Traceback" not in result.stderr
