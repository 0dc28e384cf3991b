"""The part of a Telegram `Update` the bot acts on, validated straight from the webhook's bytes.

PTB's `Update.de_json` builds the whole object graph (every entity, every optional field,
a `Bot` reference in each node): about 170 µs an update on our 2-core machine, the largest
single cost of a webhook ack. Validating only the fields we read with pydantic-core, within
the shared bounds, takes about 5 µs and still refuses a body that is not an update, with the
reason. PTB remains the client that talks to the Bot API. Every field carries its bound in its
type (`untrusted.fields`), so the bytes go straight to the model (`parse_bounded`) without the
generic walk, which would double the cost.
"""

from __future__ import annotations

from datetime import datetime, timezone

from pydantic import BaseModel, ConfigDict, Field

from untrusted.fields import EpochSeconds, Int64, ShortText, Text


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class User(_Part):
    id: Int64
    first_name: ShortText = ""
    last_name: ShortText | None = None
    language_code: ShortText | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


class Chat(_Part):
    id: Int64


class FileRef(_Part):
    file_id: ShortText


class Document(FileRef):
    file_name: ShortText | None = None


class Contact(_Part):
    phone_number: ShortText
    user_id: Int64 | None = None


class Location(_Part):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class Message(_Part):
    chat: Chat
    date: EpochSeconds = 0  # 0 marks an inaccessible (too old) message inside a callback query
    from_user: User | None = Field(default=None, alias="from")
    text: Text | None = None
    caption: Text | None = None
    contact: Contact | None = None
    photo: tuple[FileRef, ...] = ()  # sizes, smallest first
    document: Document | None = None
    sticker: FileRef | None = None
    location: Location | None = None

    @property
    def sent_at(self) -> datetime | None:
        return datetime.fromtimestamp(self.date, timezone.utc) if self.date else None


class CallbackQuery(_Part):
    id: ShortText
    from_user: User = Field(alias="from")
    message: Message | None = None  # absent for buttons on inline-mode messages
    data: ShortText | None = None


class Update(_Part):
    """Edited messages, channel posts and member updates are left out, so they read as None."""

    update_id: Int64
    message: Message | None = None
    callback_query: CallbackQuery | None = None
