"""The part of a Telegram `Update` the bot acts on, validated straight from the webhook's bytes.

PTB's `Update.de_json` builds the whole object graph (every entity, every optional field,
a `Bot` reference in each node): about 170 µs an update on our 2-core machine, the largest
single cost of a webhook ack. Validating only the fields we read with pydantic-core takes
about 8 µs and still refuses a body that is not an update, with the reason. PTB remains the
client that talks to the Bot API.
"""

from __future__ import annotations

from datetime import datetime, timezone

from pydantic import BaseModel, ConfigDict, Field


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class User(_Part):
    id: int
    first_name: str = ""
    last_name: str | None = None
    language_code: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


class Chat(_Part):
    id: int


class FileRef(_Part):
    file_id: str


class Document(FileRef):
    file_name: str | None = None


class Contact(_Part):
    phone_number: str
    user_id: int | None = None


class Location(_Part):
    latitude: float
    longitude: float


class Message(_Part):
    chat: Chat
    date: int = 0  # 0 marks an inaccessible (too old) message inside a callback query
    from_user: User | None = Field(default=None, alias="from")
    text: str | None = None
    caption: str | None = None
    contact: Contact | None = None
    photo: tuple[FileRef, ...] = ()  # sizes, smallest first
    document: Document | None = None
    sticker: FileRef | None = None
    location: Location | None = None

    @property
    def sent_at(self) -> datetime | None:
        return datetime.fromtimestamp(self.date, timezone.utc) if self.date else None


class CallbackQuery(_Part):
    id: str
    from_user: User = Field(alias="from")
    message: Message | None = None  # absent for buttons on inline-mode messages
    data: str | None = None


class Update(_Part):
    """Edited messages, channel posts and member updates are left out, so they read as None."""

    update_id: int
    message: Message | None = None
    callback_query: CallbackQuery | None = None
