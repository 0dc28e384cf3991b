"""One customer on each channel, driven in that channel's real wire format.

Each driver speaks to the real app over HTTP and reads what the matching fake provider
received, so one test body runs unchanged on Telegram, web chat, Messenger and Zalo.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any, Protocol

from aiohttp.test_utils import TestClient

from bot.linktokens import make_token
from tests.apps import Api, arrived, eventually, runtime_of
from tests.fakes import graph as graph_wire
from tests.fakes import zalo as zalo_wire
from tests.fakes.graph import FakeGraph
from tests.fakes.telegram import FakeTelegram, callback_update, contact_update, text_update
from tests.fakes.zalo import FakeZalo
from tests.flows.conftest import WEBHOOK_SECRET
from tests.flows.webchat import WebCustomer

CHAT, PSID, ZALO_USER = 770001, "6007700001", "2468458835290001"
_ids = itertools.count(1)


class Customer(Protocol):
    async def link(self, order_code: str, phone: str) -> None:
        """Connect this chat to the customer's orders the way this channel allows."""

    async def say(self, text: str) -> None: ...

    async def tap(self, title: str) -> None:
        """Tap the button with this title on the latest message that had buttons."""

    async def messages(self, count: int) -> list[str]:
        """The bot's texts once at least `count` arrived."""


async def reply_containing(customer: Customer, *fragments: str) -> str:
    """The first bot message holding every fragment, once it arrives (order of arrival varies)."""

    async def found() -> str | None:
        return next((t for t in await customer.messages(0) if all(f in t for f in fragments)), None)

    return await eventually(found)


class TelegramCustomer:
    def __init__(self, client: TestClient, telegram: FakeTelegram) -> None:
        self.client, self.telegram = client, telegram

    async def _post(self, update: dict[str, Any]) -> None:
        response = await self.client.post("/webhooks/telegram", json=update,
                                          headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})
        assert response.status == 200

    async def link(self, order_code: str, phone: str) -> None:
        await self._post(contact_update(CHAT, "+84" + phone[1:]))

    async def say(self, text: str) -> None:
        await self._post(text_update(CHAT, text))

    async def tap(self, title: str) -> None:
        markup = next(p["reply_markup"] for p in reversed(self.telegram.sent()) if "inline_keyboard" in p.get("reply_markup", {}))
        data = next(b["callback_data"] for row in markup["inline_keyboard"] for b in row if b["text"] == title)
        await self._post(callback_update(CHAT, data))

    async def messages(self, count: int) -> list[str]:
        return await arrived(lambda: self.telegram.texts_to(CHAT), count)


class WebChatCustomer:
    def __init__(self, client: TestClient) -> None:
        self.client, self.web = client, WebCustomer(client)

    async def link(self, order_code: str, phone: str) -> None:
        runtime = runtime_of(self.client)
        await self.web.open()
        assert await self.web.say(link=make_token(runtime.secret, order_code, date(2027, 12, 31))) == 200

    async def say(self, text: str) -> None:
        assert await self.web.say(text) == 200

    async def tap(self, title: str) -> None:
        buttons = next(m["buttons"] for m in reversed(self.web.bot_messages()) if m.get("buttons"))
        assert await self.web.say(action=next(b["action"] for b in buttons if b["title"] == title)) == 200

    async def messages(self, count: int) -> list[str]:
        return await arrived(lambda: [m["text"] for m in self.web.bot_messages()], count)


class MessengerCustomer:
    def __init__(self, client: TestClient, graph: FakeGraph) -> None:
        self.client, self.graph = client, graph

    async def _post(self, event: dict[str, Any]) -> None:
        payload = {"object": "page", "entry": [{"id": "PAGE", "time": 1764000000000, "messaging": [
            {"sender": {"id": PSID}, "recipient": {"id": "PAGE"}, "timestamp": 1764000000000 + next(_ids), **event}]}]}
        raw, headers = graph_wire.signed(payload)
        assert (await self.client.post("/webhooks/messenger", data=raw, headers=headers)).status == 200

    async def link(self, order_code: str, phone: str) -> None:
        """An m.me link carrying the shop's signed token (`ref`) opened by the customer."""
        token = make_token(runtime_of(self.client).secret, order_code, date(2027, 12, 31))
        await self._post({"referral": {"ref": token, "source": "SHORTLINK", "type": "OPEN_THREAD"}})

    async def say(self, text: str) -> None:
        await self._post({"message": {"mid": f"m.{next(_ids)}", "text": text}})

    async def tap(self, title: str) -> None:
        replies = next(r["body"]["message"]["quick_replies"] for r in reversed(self.graph.requests)
                       if r["ok"] and r["body"]["message"].get("quick_replies"))
        payload = next(q["payload"] for q in replies if q.get("title") == title)
        await self._post({"message": {"mid": f"m.{next(_ids)}", "text": title, "quick_reply": {"payload": payload}}})

    async def messages(self, count: int) -> list[str]:
        return await arrived(lambda: self.graph.texts_to(PSID), count)


class ZaloCustomer:
    def __init__(self, client: TestClient, zalo: FakeZalo) -> None:
        self.client, self.zalo = client, zalo

    async def _post(self, event: dict[str, Any]) -> None:
        raw, headers = zalo_wire.signed(event)
        assert (await self.client.post("/webhooks/zalo", data=raw, headers=headers)).status == 200

    async def link(self, order_code: str, phone: str) -> None:
        """Zalo vouches for no phone (its form's number is typed), so the shop names the Zalo account
        the order was placed from; the customer then says hello."""
        status, order = await Api(self.client).get(f"/api/v1/orders/{order_code}")
        assert status == 200
        customer = {"name": order["customer_name"], "phone": phone, "channel": "zalo", "channel_user_id": ZALO_USER}
        assert (await Api(self.client).post("/api/v1/orders", {"code": order_code, "customer": customer}))[0] == 200
        await self.say("chào shop")

    async def say(self, text: str) -> None:
        await self._post(zalo_wire.text_event(ZALO_USER, text, f"z.{next(_ids)}", str(1764000000000 + next(_ids))))

    async def tap(self, title: str) -> None:
        buttons = next(r["body"]["message"]["attachment"]["payload"]["buttons"] for r in reversed(self.zalo.requests)
                       if r["ok"] and "buttons" in r["body"].get("message", {}).get("attachment", {}).get("payload", {}))
        await self.say(next(b["payload"] for b in buttons if b["title"] == title))

    async def messages(self, count: int) -> list[str]:
        return await arrived(lambda: self.zalo.texts_to(ZALO_USER), count)
