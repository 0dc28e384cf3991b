from datetime import datetime, timedelta, timezone

from channels.base import DeliveryUnknown, OutsideWindow, RecipientUnreachable, RetryLater
from scheduler.retry import MAX_ATTEMPTS, outcome_of_error

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)


def test_rate_limit_waits_at_least_retry_after() -> None:
    outcome = outcome_of_error(RetryLater("429", retry_after=30), 1, NOW)
    assert outcome.status == "pending"
    assert outcome.due_at is not None and outcome.due_at >= NOW + timedelta(seconds=30)


def test_a_timeout_after_sending_is_unknown_never_resent() -> None:
    assert outcome_of_error(DeliveryUnknown("timed out"), 1, NOW).status == "unknown"


def test_a_blocked_recipient_fails_permanently_with_the_reason() -> None:
    outcome = outcome_of_error(RecipientUnreachable("bot was blocked"), 1, NOW)
    assert outcome.status == "failed" and "blocked" in (outcome.error or "")


def test_a_closed_window_is_a_policy_skip() -> None:
    assert outcome_of_error(OutsideWindow("24h"), 1, NOW).status == "skipped_policy"


def test_retries_stop_after_the_maximum() -> None:
    assert outcome_of_error(RetryLater("500"), MAX_ATTEMPTS, NOW).status == "failed"
