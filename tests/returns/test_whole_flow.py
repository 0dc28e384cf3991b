"""Issue 15's promise on every channel, in each one's wire format: a customer whose dress is faulty
sends a photo, gets an exchange approved by the policy at once, the return parcel is tracked by
the carrier's webhooks until the shop receives it, the exchange ships, and each step is told once."""

from __future__ import annotations

from collections import Counter
from typing import Callable

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.storage.models import ReturnEvent, ReturnPhoto
from tests.apps import Api, runtime_of
from tests.fakes.carriers import FakeGhn
from tests.fakes.graph import FakeGraph
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo
from tests.flows.customers import reply_containing
from tests.returns.customers import JPEG, MessengerPhotos, TelegramPhotos, WebPhotos, ZaloPhotos
from tests.returns.shop import ORDER, PhotoCustomer, choose, delivered, ghn_says, the_request

NOTICES = ("Shop đã hẹn Giao Hàng Nhanh (GHN) tới lấy hàng", "Shipper đã lấy hàng đổi/trả đơn HM7005",
           "Shop đã nhận lại hàng của đơn HM7005", "Hàng đổi của đơn HM7005 (size M) đã được gửi đi")


@pytest.fixture(params=["telegram", "web", "messenger", "zalo"])
async def customer(request: pytest.FixtureRequest, shop: TestClient, telegram: FakeTelegram,
                   graph: FakeGraph, zalo: FakeZalo) -> PhotoCustomer:
    drivers: dict[str, Callable[[], PhotoCustomer]] = {
        "telegram": lambda: TelegramPhotos(shop, telegram), "web": lambda: WebPhotos(shop),
        "messenger": lambda: MessengerPhotos(shop, graph), "zalo": lambda: ZaloPhotos(shop, zalo),
    }
    driver = drivers[request.param]()
    await Api(shop).post("/api/v1/orders", ORDER)
    await driver.link(ORDER["code"], ORDER["customer"]["phone"])
    await driver.messages(1)
    await delivered(shop, driver)
    return driver


async def test_a_faulty_dress_is_exchanged_from_the_photo_to_the_new_parcel_each_step_told_once(
    customer: PhotoCustomer, shop: TestClient, ghn: FakeGhn
) -> None:
    await customer.say("váy bị lỗi, em muốn đổi hàng")
    await reply_containing(customer, "lý do")
    await choose(customer, "Hàng lỗi, hỏng")
    await reply_containing(customer, "ảnh chụp")
    await customer.photo(JPEG)
    await reply_containing(customer, "đổi sản phẩm khác hay hoàn tiền")
    await choose(customer, "🔁 Đổi hàng")
    await reply_containing(customer, "size hay màu nào")
    await customer.say("size M")
    await reply_containing(customer, "tóm tắt", "Hàng lỗi, hỏng", "size M")
    await choose(customer, "✅ Xác nhận")
    await reply_containing(customer, "đã duyệt yêu cầu đổi hàng đơn HM7005")

    request = await the_request(shop)
    assert (request.state, request.verdict) == ("approved", "auto_approved")
    pickup = {"state": "pickup_scheduled", "carrier": "ghn", "tracking_code": "RLBK7005"}
    assert (await Api(shop).post(f"/api/v1/returns/{request.id}/events", pickup))[0] == 201
    await ghn_says(shop, "RLBK7005", "picking", "2026-11-24T04:00:00Z")
    await ghn_says(shop, "RLBK7005", "picked", "2026-11-24T05:00:00Z")
    ghn.status = "delivered"
    await ghn_says(shop, "RLBK7005", "delivered", "2026-11-25T05:00:00Z")
    await reply_containing(customer, NOTICES[2])
    shipped = {"state": "exchanged_shipped", "tracking_code": "LBK7099"}
    assert (await Api(shop).post(f"/api/v1/returns/{request.id}/events", shipped))[0] == 201
    await reply_containing(customer, NOTICES[3], "LBK7099")

    texts = Counter(t for t in await customer.messages(0) for notice in NOTICES if notice in t)
    assert sorted(texts.values()) == [1, 1, 1, 1]
    async with runtime_of(shop).sessions() as db:
        events = [(e.state, e.actor) for e in await db.scalars(select(ReturnEvent).order_by(ReturnEvent.id))]
        photos = list(await db.scalars(select(ReturnPhoto)))
    assert events == [("requested", "customer"), ("approved", "bot"), ("pickup_scheduled", "shop"),
                      ("in_return_transit", "carrier"), ("received", "carrier"), ("exchanged_shipped", "shop")]
    assert [(p.request_id, p.content_type, p.size) for p in photos] == [(request.id, "image/jpeg", len(JPEG))]
