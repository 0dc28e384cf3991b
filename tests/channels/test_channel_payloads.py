"""Every Messenger and Zalo event we handle, parsed from a payload file in the real wire format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest
from multidict import CIMultiDict

from channels.base import RawRequest
from channels.messenger import MessengerChannel
from channels.models import Inbound, Kind, Message, Receipt
from channels.zalo import ZaloChannel

PAYLOADS = Path(__file__).resolve().parent.parent / "payloads" / "channels"

MESSENGER = {
    "text": (Kind.TEXT, {"text": "Đơn của em tới đâu rồi shop ơi?"}),
    "quick_reply": (Kind.ACTION, {"action": "m:human"}),
    "postback": (Kind.ACTION, {"action": "m:orders", "id": "m_postback_1"}),
    "postback_dashboard_sample": (Kind.ACTION, {"action": "m:orders"}),
    "image": (Kind.MEDIA, {"attachments": ("image", "https://scontent.xx.fbcdn.net/v/t1.15752-9/hang-loi.jpg")}),
    "sticker": (Kind.MEDIA, {"attachments": ("sticker", "https://scontent.xx.fbcdn.net/v/t39.1997-6/like.png")}),
    "referral_mme": (Kind.LINK, {"link_token": "HM1001.20271231.c2lnbmF0dXJl"}),
    "echo": (None, {}),
    "delivery": ("delivered", {"provider_ids": ("m_1", "m_2")}),
    "read": ("read", {"provider_ids": ("m_1",)}),
}
ZALO = {
    "user_send_text": (Kind.TEXT, {"text": "đơn em tới đâu rồi ạ", "id": "96d3cdf3af150460909"}),
    "button_tap": (Kind.ACTION, {"action": "m:human"}),
    "user_send_image": (Kind.MEDIA, {"text": "hàng bị móp", "attachments": ("image", "https://photo-zmp3.zmdcdn.me/full.jpg")}),
    "user_send_link": (Kind.MEDIA, {"attachments": ("link", "https://shop.vn/ao-thun")}),
    "user_send_sticker": (Kind.MEDIA, {"attachments": ("sticker", "https://zalo-api.zadn.vn/sticker.png")}),
    "user_send_location": (Kind.MEDIA, {"attachments": ("location", "geo:10.7769,106.7009")}),
    "follow": (Kind.FOLLOW, {}),
    "unfollow": (Kind.UNFOLLOW, {}),
    "user_submit_info": (Kind.CONTACT, {"phone": "84912345678", "display_name": "Nguyễn Thị Lan"}),
    "user_withdraw": (Kind.WITHDRAW, {}),
    "oa_send_text": (None, {}),
    "anonymous_send_text": (None, {}),
    "user_received_message": ("delivered", {"provider_ids": ("z1", "z2")}),
    "user_seen_message": ("read", {"provider_ids": ("z1",)}),
}


def request(body: bytes) -> RawRequest:
    return RawRequest("POST", {}, CIMultiDict(), body)


async def channels() -> tuple[MessengerChannel, ZaloChannel, aiohttp.ClientSession]:
    session = aiohttp.ClientSession()
    messenger = MessengerChannel("token", "secret", "verify", session=session)
    zalo = ZaloChannel("app", "secret", tokens=None, session=session)  # type: ignore[arg-type]  # parsing only
    return messenger, zalo, session


def check(event: Inbound, kind: Any, fields: dict[str, Any]) -> None:
    if kind in ("delivered", "read"):
        assert isinstance(event, Receipt) and event.status == kind
    else:
        assert isinstance(event, Message) and event.kind == kind
    for name, expected in fields.items():
        if name == "attachments":
            assert isinstance(event, Message) and (event.attachments[0].type, event.attachments[0].url) == expected
        else:
            assert getattr(event, name) == expected
    assert event.sender.user and (event.received_at if isinstance(event, Message) else event.at).tzinfo is not None


CASES = [("messenger", name, expected) for name, expected in MESSENGER.items()] + [
    ("zalo", name, expected) for name, expected in ZALO.items()
]


async def parsed(channel: str, name: str) -> list[Inbound]:
    messenger, zalo, session = await channels()
    parser = {"messenger": messenger, "zalo": zalo}[channel]
    events = parser.parse(request((PAYLOADS / channel / f"{name}.json").read_bytes()))
    await session.close()
    return events


@pytest.mark.parametrize(("channel", "name", "expected"), CASES, ids=[f"{c}-{n}" for c, n, _ in CASES])
async def test_each_event_file_parses_to_what_the_bot_acts_on(channel: str, name: str, expected: tuple[Any, dict[str, Any]]) -> None:
    events = await parsed(channel, name)
    kind, fields = expected
    assert events == [] if kind is None else len(events) == 1
    for event in events:
        check(event, kind, fields)


async def test_every_entry_and_every_messaging_item_of_a_messenger_batch_is_read() -> None:
    events = await parsed("messenger", "two_entries")
    assert [e.text for e in events if isinstance(e, Message)] == ["alo", "shop ơi"]
