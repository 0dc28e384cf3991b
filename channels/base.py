"""The Channel protocol, its capabilities and the errors a send can end in.

Verify, parse and send are separate: verification needs the raw bytes (Meta signs the
``\\uXXXX``-escaped body), parsing is pure so it is table-tested from payload files, and
sending is the only I/O. Errors are typed so the outbox maps them to decisions in one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import ClassVar, Literal, Mapping, Protocol

from channels.models import ChannelKind, Inbound, Message, OutboundMessage, SendResult
from untrusted.refused import Refused


class PhoneShare(StrEnum):
    """What the platform's "share my phone" control proves (docs/platforms.md §4)."""

    NONE = "none"  # no such control: the customer can only type a phone
    UNVERIFIED = "unverified"  # a control whose answer the customer can still choose or type
    VERIFIED = "verified"  # the platform vouches that the phone is the sender's own


@dataclass(frozen=True, slots=True)
class Capabilities:
    max_text: int
    max_buttons: int  # 0 = no buttons: fit() turns them into a numbered list
    max_button_title: int
    max_action_bytes: int  # Telegram callback_data is 64 BYTES
    templates: bool  # provider-approved templates exist for out-of-window updates
    free_window: timedelta | None  # free-form allowed this long after the last inbound
    phone_share: PhoneShare
    provider_webhook: bool  # the provider posts events to /webhooks/{kind}; False: our own API (web chat)
    markup: Literal["plain", "html"] = "plain"


@dataclass(frozen=True, slots=True)
class RawRequest:
    """What a webhook received, framework-free so adapters never import aiohttp.web."""

    method: str
    query: Mapping[str, str]
    headers: Mapping[str, str]  # case-insensitive mapping
    body: bytes


class ChannelError(Exception):
    """A send or webhook failure; ``code`` is the provider's own code when there is one."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class InvalidSignature(ChannelError):
    """The webhook is not authentic: answer 401/403 and process nothing."""


class MalformedPayload(ChannelError, Refused):
    """The webhook body cannot be parsed: answer 400 with the reason, like any `Refused` input."""


class RetryLater(ChannelError):
    """Rate limit, 5xx or a timeout before the request was sent: try again later."""

    def __init__(self, message: str, *, retry_after: float = 0.0, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class OutsideWindow(ChannelError):
    """The platform refuses free-form messages now: a template or another channel is needed."""


class RecipientUnreachable(ChannelError):
    """Blocked bot, unfollowed OA, deleted user: never retry."""


class RejectedRequest(ChannelError):
    """Our payload was refused (4xx): never retry."""


class AuthFailed(ChannelError):
    """Our credentials were refused or expired."""


class DeliveryUnknown(ChannelError):
    """Timed out after the request may have reached the provider: never blindly resend."""


class Channel(Protocol):
    """A messaging provider behind one interface.

    Adapters receive their HTTP client and API base URL in the constructor so tests point
    them at local fake servers speaking the real wire format.
    """

    kind: ClassVar[ChannelKind]
    capabilities: ClassVar[Capabilities]

    def handshake(self, request: RawRequest) -> str | None:
        """Answer a provider GET verification (Messenger hub.challenge), else None."""

    def verify(self, request: RawRequest) -> None:
        """Raise InvalidSignature unless the request is authentic (constant-time compare)."""

    def parse(self, request: RawRequest) -> list[Inbound]:
        """Pure: zero or more events; echoes dropped; Refused (e.g. MalformedPayload) on an unreadable body."""

    def link(self, token: str) -> str | None:
        """A URL that opens a chat with the shop carrying a signed link token, or None where
        the platform has no such link we can build."""

    async def acknowledge(self, message: Message) -> None:
        """Tell the platform an action was received (Telegram answerCallbackQuery); else no-op."""

    async def send(self, message: OutboundMessage) -> SendResult:
        """Deliver one already-fitted message, or raise a ChannelError subclass."""

    async def aclose(self) -> None:
        """Release the adapter's resources."""
