"""The part of a Zalo OA event the adapter reads, typed and bounded (see `telegram_update`).

Zalo sends ids and timestamps as strings, sometimes as numbers; both are accepted, anything
else (an object where a timestamp belongs, a number where a message belongs) is refused with
the reason. Undeclared fields are ignored.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from untrusted.fields import Code, EpochMillis, ShortText, Text


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Party(_Part):
    id: Code


class Coordinates(_Part):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class AttachmentPayload(_Part):
    url: Text = ""
    name: ShortText | None = None
    coordinates: Coordinates | None = None


class Attachment(_Part):
    type: ShortText = "file"
    payload: AttachmentPayload | None = None


class Message(_Part):
    msg_id: Code | None = None
    text: Text = ""
    msg_ids: tuple[Code, ...] = ()
    attachments: tuple[Attachment, ...] = ()


class Info(_Part):
    phone: ShortText | None = None
    name: ShortText | None = None


class Event(_Part):
    event_name: Code
    timestamp: EpochMillis = 0
    sender: Party | None = None
    follower: Party | None = None
    message: Message | None = None
    info: Info | None = None
