"""A shop whose customer received a dress that does not fit, on any channel; helpers to walk a return."""

from __future__ import annotations

import re
from typing import Any, Protocol

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.storage.models import ReturnRequest
from tests.apps import Api, runtime_of
from tests.flows.customers import Customer, reply_containing

ORDER: dict[str, Any] = {
    "code": "HM7005", "customer": {"name": "Chị Lan", "phone": "0987650005"}, "total": 350000,
    "items": [{"name": "Váy hoa nhí", "quantity": 1, "price": 350000}],
    "carrier": "ghn", "tracking_code": "LBK7005", "eta": "2026-11-26", "status": "in_transit",
}
TOKEN_QS = "?token=carrier-token-123"


class PhotoCustomer(Customer, Protocol):
    async def photo(self, data: bytes) -> Any: ...


async def choose(customer: Customer, title: str) -> None:
    """Tap the button titled so; where the channel listed the options as numbers, type its number."""
    texts = await customer.messages(1)
    listed = re.search(rf"^(\d+)\. {re.escape(title)}$", texts[-1], re.MULTILINE)
    if listed:
        await customer.say(listed.group(1))
    else:
        await customer.tap(title)


async def delivered(shop: TestClient, customer: Customer) -> None:
    assert (await Api(shop).post("/api/v1/orders/HM7005/events", {"status": "delivered"}))[0] == 201
    await reply_containing(customer, "HM7005", "đã giao thành công")


async def the_request(shop: TestClient) -> ReturnRequest:
    async with runtime_of(shop).sessions() as db:
        found = await db.scalar(select(ReturnRequest).order_by(ReturnRequest.id.desc()).limit(1))
    assert found is not None
    return found


async def ghn_says(shop: TestClient, code: str, status: str, at: str) -> None:
    body = f'{{"OrderCode": "{code}", "Type": "switch_status", "Status": "{status}", "Time": "{at}"}}'.encode()
    response = await shop.post(f"/carriers/ghn/webhook{TOKEN_QS}", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 200


async def ask_for_a_refund(customer: PhotoCustomer, reason: str, photo: bytes | None = None,
                           answer: str = "Shop đã nhận yêu cầu đổi/trả đơn HM7005") -> None:
    """Walk the chat to a confirmed refund request by bank transfer, for `reason` (a button title),
    until the bot's `answer` (waiting for a person, by default)."""
    await customer.say("em muốn trả hàng")
    await reply_containing(customer, "lý do")
    await choose(customer, reason)
    if photo is not None:
        await reply_containing(customer, "ảnh chụp")
        await customer.photo(photo)
    await reply_containing(customer, "đổi sản phẩm khác hay hoàn tiền")
    await choose(customer, "💸 Hoàn tiền")
    await reply_containing(customer, "nhận tiền hoàn qua cách nào")
    await choose(customer, "Chuyển khoản")
    await reply_containing(customer, "số tài khoản")
    await customer.say("Vietcombank 0123456789")
    await reply_containing(customer, "tóm tắt", "••••6789")
    await choose(customer, "✅ Xác nhận")
    await reply_containing(customer, answer)


async def ask_for_a_size(customer: Customer, wish: str, *, taps: int = 1) -> None:
    """Walk the chat from "too small" to the exchange summary, then tap confirm `taps` times."""
    await customer.say("váy chật quá, em muốn đổi size")
    await reply_containing(customer, "lý do")
    await choose(customer, "Chật / nhỏ quá")
    await reply_containing(customer, "đổi sản phẩm khác hay hoàn tiền")
    await choose(customer, "🔁 Đổi hàng")
    await reply_containing(customer, "size hay màu nào")
    await customer.say(wish)
    await reply_containing(customer, "tóm tắt", wish)
    for _ in range(taps):
        await choose(customer, "✅ Xác nhận")
