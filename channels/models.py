"""Normalised, framework-free values exchanged between channel adapters and the bot.

Adapters build inbound values from provider payloads and receive outbound values to send;
nothing here knows about HTTP frameworks, databases or templates, so adapters can be
table-tested from payload files alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Literal, Mapping


class ChannelKind(StrEnum):
    TELEGRAM = "telegram"
    MESSENGER = "messenger"
    ZALO = "zalo"
    WEB = "web"


@dataclass(frozen=True, slots=True)
class Address:
    """One customer on one channel; ``str(address)`` is the storage form."""

    channel: ChannelKind
    user: str

    def __str__(self) -> str:
        return f"{self.channel}:{self.user}"

    @classmethod
    def parse(cls, text: str) -> Address:
        channel, _, user = text.partition(":")
        return cls(ChannelKind(channel), user)


class Kind(StrEnum):
    TEXT = "text"
    ACTION = "action"  # a tapped button / quick reply / callback: ``action`` holds its payload
    CONTACT = "contact"  # a phone shared through the platform: ``phone`` is verified by it
    LINK = "link"  # a signed link token opened (Telegram /start, Messenger ref, Zalo OA link)
    MEDIA = "media"
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    WITHDRAW = "withdraw"  # the user asked the platform to delete their data (Zalo)


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    type: str  # image, file, sticker, location, link, …
    url: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """A normalised inbound event. Adapters build it; handlers only read it."""

    id: str  # provider event id, unique per channel: the dedupe key
    sender: Address
    kind: Kind
    received_at: datetime  # aware
    text: str = ""
    action: str | None = None
    phone: str | None = None
    link_token: str | None = None
    display_name: str = ""
    language: str | None = None
    attachments: tuple[Attachment, ...] = ()
    callback_id: str | None = None  # Telegram callback query id, to be answered
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Receipt:
    """Delivery or read confirmation of messages we sent."""

    sender: Address
    provider_ids: tuple[str, ...]
    status: Literal["delivered", "read"]
    at: datetime


Inbound = Message | Receipt


@dataclass(frozen=True, slots=True)
class Button:
    title: str
    action: str  # packed payload, see bot.actions


class Purpose(StrEnum):
    REPLY = "reply"  # answers the customer inside the conversation window
    UPDATE = "update"  # proactive (notice, survey): may need a template outside the window
    STAFF = "staff"  # a person's reply from the inbox (Messenger HUMAN_AGENT outside 24 h)


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateRef:
    """A provider-approved template (Zalo ZBS template id, Meta utility template)."""

    name: str
    params: Mapping[str, str]
    language: str
    phone: str = ""  # Zalo: send by phone (84…) through the business API instead of by user id


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboundMessage:
    key: str  # idempotency key (the outbox row's dedupe key)
    to: Address
    purpose: Purpose = Purpose.REPLY
    text: str = ""
    buttons: tuple[Button, ...] = ()
    request_phone: str = ""  # label of the platform's "share my phone" control; "" = none
    template: TemplateRef | None = None
    since_last_inbound: timedelta | None = None  # for channels with a messaging window


@dataclass(frozen=True, slots=True)
class SendResult:
    provider_id: str | None
