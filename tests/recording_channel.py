"""An in-memory Channel for tests of the dispatcher itself (provider wire formats are
covered by the fake provider servers in tests/fakes/)."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from channels.base import Capabilities, ChannelError, PhoneShare, RawRequest
from channels.models import ChannelKind, Inbound, Message, OutboundMessage, SendResult


class RecordingChannel:
    kind: ClassVar[ChannelKind] = ChannelKind.WEB
    capabilities: ClassVar[Capabilities] = Capabilities(
        max_text=4000, max_buttons=10, max_button_title=40, max_action_bytes=200,
        templates=False, free_window=None, phone_share=PhoneShare.NONE, provider_webhook=False,
    )

    def __init__(self, delay: float = 0.0) -> None:
        self.sent: list[OutboundMessage] = []
        self.errors: list[ChannelError] = []
        self.delay = delay

    def handshake(self, request: RawRequest) -> str | None:
        return None

    def verify(self, request: RawRequest) -> None:
        return None

    def parse(self, request: RawRequest) -> list[Inbound]:
        return []

    def link(self, token: str) -> str | None:
        return None

    async def acknowledge(self, message: Message) -> None:
        return None

    async def send(self, message: OutboundMessage) -> SendResult:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(message)
        return SendResult(provider_id=f"p{len(self.sent)}")

    async def aclose(self) -> None:
        return None


