"""Every channel adapter by kind, so code above channels/ asks what a platform offers
without naming the platform."""

from __future__ import annotations

from typing import Mapping

from channels.base import Capabilities, Channel
from channels.messenger import MessengerChannel
from channels.models import ChannelKind
from channels.telegram import TelegramChannel
from channels.web import WebChannel
from channels.zalo import ZaloChannel

ADAPTERS: Mapping[ChannelKind, type[Channel]] = {
    ChannelKind.TELEGRAM: TelegramChannel,
    ChannelKind.MESSENGER: MessengerChannel,
    ChannelKind.ZALO: ZaloChannel,
    ChannelKind.WEB: WebChannel,
}


def capabilities_of(kind: ChannelKind) -> Capabilities:
    return ADAPTERS[kind].capabilities
