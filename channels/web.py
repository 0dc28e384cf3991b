"""The web chat widget: our own small JSON API, replies pushed to the browser by SSE.

Sessions are random ids signed with the shop's secret, so a browser can only speak as the
session it was given; the signature is checked in constant time like any webhook.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, ClassVar

from channels.base import Capabilities, InvalidSignature, MalformedPayload, RawRequest
from channels.models import Address, ChannelKind, Inbound, Kind, Message, OutboundMessage, SendResult

Publish = Callable[[str, dict[str, Any]], Awaitable[None]]
MAX_TEXT = 2000


def _load(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as failure:
        raise MalformedPayload(f"body is not JSON: {failure}") from failure
    if not isinstance(data, dict):
        raise MalformedPayload("body must be a JSON object")
    return data


class WebChannel:
    kind: ClassVar[ChannelKind] = ChannelKind.WEB
    capabilities: ClassVar[Capabilities] = Capabilities(
        max_text=4000, max_buttons=10, max_button_title=40, max_action_bytes=200,
        templates=False, free_window=None,
    )

    def __init__(self, secret: bytes, publish: Publish) -> None:
        self._secret = secret
        self._publish = publish

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
        session = _load(request.body).get("session")
        if not isinstance(session, str) or self.user_of(session) is None:
            raise InvalidSignature("unknown or forged chat session")

    def parse(self, request: RawRequest) -> list[Inbound]:
        data = _load(request.body)
        user = self.user_of(str(data.get("session", "")))
        client_id, text = data.get("id"), data.get("text")
        action, link = data.get("action"), data.get("link")
        if user is None or not isinstance(client_id, str) or not 0 < len(client_id) <= 100:
            raise MalformedPayload("fields session and id (≤ 100 chars) are required")
        if not any(isinstance(v, str) and v for v in (text, action, link)):
            raise MalformedPayload("one of text, action or link is required")
        if isinstance(text, str) and len(text) > MAX_TEXT:
            raise MalformedPayload(f"text is longer than {MAX_TEXT} characters")
        kind = Kind.LINK if link else Kind.ACTION if action else Kind.TEXT
        return [
            Message(
                id=f"{user}:{client_id}", sender=Address(ChannelKind.WEB, user), kind=kind,
                received_at=datetime.now(timezone.utc), text=str(text or ""),
                action=str(action) if action else None, link_token=str(link) if link else None,
            )
        ]

    async def acknowledge(self, message: Message) -> None:
        return None

    async def send(self, message: OutboundMessage) -> SendResult:
        await self._publish(
            message.to.user,
            {
                "id": message.key, "from": "staff" if message.purpose == "staff" else "bot",
                "text": message.text,
                "buttons": [{"title": b.title, "action": b.action} for b in message.buttons],
                "sent_at": datetime.now(timezone.utc).isoformat(),
            },
        )
        return SendResult(provider_id=message.key)

    async def aclose(self) -> None:
        return None
