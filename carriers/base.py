"""The Carrier protocol and the errors of webhooks and tracking calls."""

from __future__ import annotations

from typing import Mapping, Protocol

import aiohttp

from carriers.models import TrackingEvent
from untrusted.refused import Refused


class MalformedWebhook(Refused):
    """The body cannot be read: answer 400 with the reason, like any `Refused` input."""


class WebhookAuthError(Exception):
    """The carrier's own authentication failed (Viettel Post TOKEN, Ninja Van HMAC …)."""


class CarrierUnavailable(Exception):
    """Timeout, 5xx or a refused connection: keep the last known state and try later."""


class TrackingNotFound(Exception):
    """The carrier says it has no such code."""


class Carrier(Protocol):
    id: str
    can_pull: bool

    def verify_webhook(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> None:
        """Raise WebhookAuthError when the carrier's own scheme says the call is forged."""

    def parse_webhook(self, body: bytes, content_type: str, headers: Mapping[str, str]) -> list[TrackingEvent]:
        """Pure and lenient; Refused (e.g. MalformedWebhook) when nothing can be read."""

    def webhook_success_response(self) -> tuple[int, dict[str, object] | str]:
        """What the carrier expects back when we accepted its call."""

    async def fetch(self, session: aiohttp.ClientSession, tracking_code: str) -> list[TrackingEvent]:
        """The carrier's current view of a parcel (pull API), newest state included."""
