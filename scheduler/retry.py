"""What a failed send becomes: one table from channel errors to outbox outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.outbox import OutboxStatus
from channels.base import (
    AuthFailed,
    DeliveryUnknown,
    OutsideWindow,
    RecipientUnreachable,
    RejectedRequest,
    RetryLater,
)

MAX_ATTEMPTS = 8
BASE_BACKOFF = 2.0
MAX_BACKOFF = 600.0


@dataclass(frozen=True, slots=True)
class Outcome:
    status: OutboxStatus
    due_at: datetime | None = None
    error: str | None = None
    provider_id: str | None = None
    via: str | None = None  # the address it went to, when another linked channel took it


def backoff(attempts: int) -> float:
    return min(MAX_BACKOFF, BASE_BACKOFF * 2 ** max(0, attempts - 1))


def outcome_of_error(error: Exception, attempts: int, now: datetime) -> Outcome:
    """Retry what may succeed later; never blindly resend what may already have arrived."""
    reason = f"{type(error).__name__}: {error}"[:500]
    if isinstance(error, DeliveryUnknown):
        return Outcome(OutboxStatus.UNKNOWN, error=reason)
    if isinstance(error, OutsideWindow):
        return Outcome(OutboxStatus.SKIPPED_POLICY, error=reason)
    if isinstance(error, (RecipientUnreachable, RejectedRequest, AuthFailed)):
        return Outcome(OutboxStatus.FAILED, error=reason)
    if attempts >= MAX_ATTEMPTS:
        return Outcome(OutboxStatus.FAILED, error=f"gave up after {attempts} attempts; last: {reason}")
    wait = max(error.retry_after if isinstance(error, RetryLater) else 0.0, backoff(attempts))
    return Outcome(OutboxStatus.PENDING, due_at=now + timedelta(seconds=wait), error=reason)
