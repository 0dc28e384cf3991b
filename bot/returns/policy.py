"""The shop's return policy (bot.config, `returns_*`) applied to one order, one reason.

Online the customer only chooses once the product is on: a policy the bot can apply by itself
turns "it doesn't fit" into an exchange in a few taps instead of a wait for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.config import Settings, words
from bot.nlu.text import fold
from bot.storage.models import Order
from carriers.models import CanonicalStatus


class Verdict(StrEnum):
    """What the policy says of a request; the inbox shows it beside the request."""

    AUTO_APPROVED = "auto_approved"  # a free reason: the bot approves
    NEEDS_STAFF = "needs_staff"  # allowed, but a person decides
    NOT_DELIVERED = "not_delivered"
    OUTSIDE_WINDOW = "outside_window"
    EXCLUDED = "excluded"


@dataclass(frozen=True, slots=True)
class Policy:
    window: timedelta
    exchange_window: timedelta
    free_reasons: frozenset[str]
    photo_reasons: frozenset[str]
    refund_methods: tuple[str, ...]
    excluded: tuple[str, ...]  # folded words

    @classmethod
    def of(cls, settings: Settings) -> Policy:
        return cls(
            window=timedelta(days=settings.returns_window_days),
            exchange_window=timedelta(days=settings.returns_exchange_window_days),
            free_reasons=frozenset(words(settings.returns_free_reasons)),
            photo_reasons=frozenset(words(settings.returns_photo_reasons)),
            refund_methods=words(settings.returns_refund_methods),
            excluded=tuple(fold(w) for w in words(settings.returns_excluded)),
        )

    def excludes(self, item: dict[str, Any]) -> bool:
        """An item whose name or category holds one of the excluded words (with or without diacritics)."""
        text = fold(f"{item.get('name', '')} {item.get('category', '')}")
        return any(word in text for word in self.excluded)

    def returnable(self, order: Order) -> list[str]:
        return [str(item.get("name", "")) for item in order.items if isinstance(item, dict) and not self.excludes(item)]

    def refusal(self, order: Order, now: datetime) -> Verdict | None:
        """Why this order cannot be returned at all, or None."""
        if order.status != CanonicalStatus.DELIVERED or order.status_at is None:
            return Verdict.NOT_DELIVERED
        if now - order.status_at > max(self.window, self.exchange_window):
            return Verdict.OUTSIDE_WINDOW
        if order.items and not self.returnable(order):
            return Verdict.EXCLUDED
        return None

    def resolutions(self, order: Order, now: datetime) -> tuple[str, ...]:
        """Exchange and/or refund, as the windows still allow."""
        since = now - (order.status_at or now)
        allowed = (("exchange", self.exchange_window), ("refund", self.window))
        return tuple(name for name, window in allowed if since <= window)

    def deadline(self, order: Order) -> datetime | None:
        """The last moment any return of this order is accepted."""
        return None if order.status_at is None else order.status_at + max(self.window, self.exchange_window)

    def verdict(self, reason: str) -> Verdict:
        return Verdict.AUTO_APPROVED if reason in self.free_reasons else Verdict.NEEDS_STAFF

    def needs_photo(self, reason: str) -> bool:
        return reason in self.photo_reasons


def masked(account: str | None) -> str:
    """A bank account as it may be shown anywhere: only its last four characters."""
    if not account:
        return ""
    kept = account[-4:] if len(account) > 6 else ""
    return "•" * 4 + kept
