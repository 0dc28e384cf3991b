"""The part of a Messenger webhook the bot acts on, typed and bounded (see `telegram_update`).

Only fields the adapter reads are declared; anything else Meta adds is ignored. A body whose
declared fields have the wrong type or size is refused with the reason instead of failing
later, wherever the value happens to be used.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from untrusted.fields import Code, EpochMillis, ShortText, Text


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Party(_Part):
    id: Code


class Payload(_Part):
    payload: ShortText | None = None


class AttachmentPayload(_Part):
    url: Text = ""


class Attachment(_Part):
    type: ShortText = "file"
    payload: AttachmentPayload | None = None


class Message(_Part):
    mid: Code | None = None
    text: Text = ""
    is_echo: bool = False
    quick_reply: Payload | None = None
    attachments: tuple[Attachment, ...] = ()


class Referral(_Part):
    ref: ShortText | None = None


class Postback(Payload):
    mid: Code | None = None
    referral: Referral | None = None


class Receipt(_Part):
    mids: tuple[Code, ...] = ()


class Event(_Part):
    sender: Party
    timestamp: EpochMillis = 0
    message: Message | None = None
    postback: Postback | None = None
    referral: Referral | None = None
    optin: Referral | None = None
    delivery: Receipt | None = None
    read: Receipt | None = None


class Entry(_Part):
    messaging: tuple[Event, ...] = ()


class Webhook(_Part):
    object: Literal["page"]
    entry: tuple[Entry, ...]


class DashboardSample(_Part):
    """What the app dashboard's "Test" button sends: one event, without the page envelope."""

    field: str
    value: Event
