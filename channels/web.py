"""The web chat widget: our own small JSON API, replies pushed to the browser by SSE.

Sessions are random ids signed with the shop's secret, so a browser can only speak as the
session it was given; the signature is checked in constant time like any webhook.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, ClassVar, Sequence

from pydantic import BaseModel, ConfigDict, Field

from channels.base import Capabilities, InvalidSignature, MalformedPayload, PhoneShare, RawRequest
from channels.models import (
    Address, Attachment, Button, ChannelKind, Inbound, Kind, Message, OutboundMessage, Purpose, SendResult,
)
from untrusted.documents import load_object, parse
from untrusted.fields import ShortText, Text

Publish = Callable[[str, dict[str, Any]], Awaitable[None]]
MAX_TEXT = 2000


def chat_item(key: str, author: str, text: str, buttons: Sequence[Button], sent_at: datetime) -> dict[str, Any]:
    """One message as the chat page draws it: sent live and replayed on a reload (app.webchat) by
    this one function, so a message looks the same either way."""
    return {"id": key, "from": author, "text": text, "buttons": [{"title": b.title, "action": b.action} for b in buttons],
            "sent_at": sent_at.isoformat()}


class ChatPost(BaseModel):
    """What the widget posts; typed and bounded like every other webhook body."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    session: str = Field(max_length=200)
    id: str = Field(min_length=1, max_length=100)
    text: Text | None = Field(default=None, max_length=MAX_TEXT)
    action: ShortText | None = None
    link: ShortText | None = None
    attachment: ShortText | None = Field(default=None, pattern=r"^upload:[0-9]{1,18}$")  # a photo uploaded first


class WebChannel:
    kind: ClassVar[ChannelKind] = ChannelKind.WEB
    capabilities: ClassVar[Capabilities] = Capabilities(
        max_text=4000, max_buttons=13, max_button_title=40, max_action_bytes=200,  # 0–10 scores as buttons
        templates=False, free_window=None, phone_share=PhoneShare.NONE,
        provider_webhook=False,  # the browser posts to the web chat's own API (app.webchat)
    )

    def __init__(self, secret: bytes, publish: Publish, public_url: str) -> None:
        self._secret = secret
        self._publish = publish
        self._page = f"{public_url.rstrip('/')}/chat"

    def _sign(self, user: str) -> str:
        digest = hmac.new(self._secret, f"web:{user}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:18]).decode()

    def new_session(self) -> str:
        user = secrets.token_urlsafe(12)
        return f"{user}.{self._sign(user)}"

    def user_of(self, session: str) -> str | None:
        """The session's user id if its signature is ours, else None."""
        user, _, signature = session.rpartition(".")
        if user and hmac.compare_digest(signature.encode(), self._sign(user).encode()):
            return user
        return None

    def handshake(self, request: RawRequest) -> str | None:
        return None

    def verify(self, request: RawRequest) -> None:
        session = load_object(request.body).get("session")
        if not isinstance(session, str) or self.user_of(session) is None:
            raise InvalidSignature("unknown or forged chat session")

    def parse(self, request: RawRequest) -> list[Inbound]:
        post = parse(ChatPost, request.body, "web chat message")
        user = self.user_of(post.session)
        if user is None:
            raise MalformedPayload("unknown or forged chat session")
        if not (post.text or post.action or post.link or post.attachment):
            raise MalformedPayload("one of text, action, link or attachment is required")
        kind = Kind.LINK if post.link else Kind.ACTION if post.action else Kind.MEDIA if post.attachment else Kind.TEXT
        attachments = (Attachment(type="image", url=post.attachment),) if post.attachment else ()
        return [
            Message(
                id=f"{user}:{post.id}", sender=Address(ChannelKind.WEB, user), kind=kind,
                received_at=datetime.now(timezone.utc), text=post.text or "",
                action=post.action or None, link_token=post.link or None, attachments=attachments,
            )
        ]

    def link(self, token: str) -> str | None:
        return f"{self._page}?t={token}"

    async def acknowledge(self, message: Message) -> None:
        return None

    async def send(self, message: OutboundMessage) -> SendResult:
        author = "staff" if message.purpose == Purpose.STAFF else "bot"
        await self._publish(
            message.to.user, chat_item(message.key, author, message.text, message.buttons, datetime.now(timezone.utc))
        )
        return SendResult(provider_id=message.key)

    async def aclose(self) -> None:
        return None
