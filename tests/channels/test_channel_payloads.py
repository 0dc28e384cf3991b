"""Every Telegram, Messenger and Zalo event we handle, parsed from a payload file in the real wire format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest
from multidict import CIMultiDict

from channels.base import Channel, RawRequest
from channels.messenger import MessengerChannel
from channels.models import Inbound, Kind, Message, Receipt
from channels.telegram import TelegramChannel
from channels.zalo import ZaloChannel
from untrusted.refused import Refused

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
    "user_submit_info": (Kind.TEXT, {"text": "84912345678", "display_name": "Nguyễn Thị Lan"}),
    "user_withdraw": (Kind.WITHDRAW, {}),
    "oa_send_text": (None, {}),
    "anonymous_send_text": (None, {}),
    "user_received_message": ("delivered", {"provider_ids": ("z1", "z2")}),
    "user_seen_message": ("read", {"provider_ids": ("z1",)}),
}
TELEGRAM = {
    "text": (Kind.TEXT, {"text": "Đơn của em tới đâu rồi shop ơi?", "id": "900001", "display_name": "Lan Nguyễn", "language": "vi"}),
    "start_link": (Kind.LINK, {"link_token": "HM1001.20271231.c2lnbmF0dXJl"}),
    "start_plain": (Kind.TEXT, {"text": "/start"}),
    "contact_own": (Kind.CONTACT, {"phone": "84987654321"}),
    "contact_forwarded": (Kind.TEXT, {"text": "0912345678", "phone": None}),
    "photo_caption": (Kind.MEDIA, {"text": "hàng bị móp", "attachments": ("image", "AgACAgUAAxkBAAIBlarge")}),
    "document": (Kind.MEDIA, {"attachments": ("file", "BQACAgUAAxkBAAIBdoc")}),
    "sticker": (Kind.MEDIA, {"attachments": ("sticker", "CAACAgIAAxkBAAIBstk")}),
    "location": (Kind.MEDIA, {"attachments": ("location", "geo:10.7769,106.7009")}),
    "callback_query": (Kind.ACTION, {"action": "m:human", "callback_id": "4382bfdwdsb323b2d9", "display_name": "Lan Nguyễn"}),
    "callback_inaccessible_message": (Kind.ACTION, {"action": "m:orders"}),
    "callback_inline_mode": (None, {}),
    "edited_message": (None, {}),
    "my_chat_member": (None, {}),
}


def request(body: bytes) -> RawRequest:
    return RawRequest("POST", {}, CIMultiDict(), body)


async def channels() -> tuple[dict[str, Channel], aiohttp.ClientSession]:
    session = aiohttp.ClientSession()
    return {
        "telegram": TelegramChannel("123456:parsing-only", webhook_secret=None),
        "messenger": MessengerChannel("token", "secret", "verify", session=session),
        "zalo": ZaloChannel("app", "secret", tokens=None, session=session),  # type: ignore[arg-type]  # parsing only
    }, session


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


CASES = [
    (channel, name, expected)
    for channel, table in (("telegram", TELEGRAM), ("messenger", MESSENGER), ("zalo", ZALO))
    for name, expected in table.items()
]


async def parsed(channel: str, name: str) -> list[Inbound]:
    parsers, session = await channels()
    events = parsers[channel].parse(request((PAYLOADS / channel / f"{name}.json").read_bytes()))
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


NOT_UPDATES = {
    b"{not json": "body is not JSON",
    b"[]": "not a valid Telegram update: body",
    b'{"message": {"chat": {"id": 5}, "text": "alo"}}': "update_id: Field required",
    b'{"update_id": 7, "message": {"message_id": 1, "date": 5, "text": "alo"}}': "message.chat: Field required",
    b'{"update_id": 99999999999999999999}': "update_id: Input should be less than or equal to",
    b'{"update_id": 7, "message": {"chat": {"id": -99999999999999999999}}}': "message.chat.id: Input should be greater",
    b'{"update_id": 7, "message": {"chat": {"id": 5}, "text": "\\ud800"}}': "body is not JSON",
}


@pytest.mark.parametrize(("body", "reason"), NOT_UPDATES.items(), ids=[r for r in NOT_UPDATES.values()])
async def test_a_telegram_body_that_is_not_an_update_is_refused_with_where_it_is_wrong(body: bytes, reason: str) -> None:
    parsers, session = await channels()
    await session.close()
    with pytest.raises(Refused, match=reason):
        parsers["telegram"].parse(request(body))


async def test_a_nul_in_a_telegram_text_is_dropped_and_the_rest_kept() -> None:
    parsers, session = await channels()
    await session.close()
    body = b'{"update_id": 7, "message": {"chat": {"id": 5}, "date": 1764000000, "text": "al\\u0000o"}}'
    [event] = parsers["telegram"].parse(request(body))
    assert isinstance(event, Message) and event.text == "alo"
