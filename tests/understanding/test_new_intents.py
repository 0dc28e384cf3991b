"""Redelivery, product questions and questions about the shop, end to end on the web chat and
Telegram. The words are taught first, so these hold whichever classifier is active."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from bot.nlu import Intent
from tests.apps import Api
from tests.flows.customers import Customer, reply_containing
from tests.understanding.conftest import modes, teach

MISSED = "shipper gọi mà em không bắt máy, giao lại giúp em"
WHERE = "shop mình ở đâu vậy, mấy giờ mở cửa?"
STOCK = "shop còn size M không?"


async def test_a_missed_delivery_is_requested_again_and_the_customer_told_what_happens_next(
    customer: Customer, shop: TestClient
) -> None:
    await teach(shop, MISSED, Intent.REDELIVERY)
    await customer.say(MISSED)
    assert await reply_containing(customer, "giao lại đơn HM7001", "thời gian giao mới")
    _, order = await Api(shop).get("/api/v1/orders/HM7001")
    assert any("another delivery attempt" in (event.get("description") or "") for event in order["timeline"])


async def test_a_redelivery_beside_an_order_code_is_for_that_order(customer: Customer, shop: TestClient) -> None:
    await teach(shop, "giao lại đơn HM7001 giúp em", Intent.REDELIVERY)
    await customer.say("giao lại đơn HM7001 giúp em")
    assert await reply_containing(customer, "giao lại đơn HM7001")


async def test_a_question_about_the_shop_is_answered_from_its_settings(customer: Customer, shop: TestClient) -> None:
    await teach(shop, WHERE, Intent.SHOP_INFO)
    await customer.say(WHERE)
    assert await reply_containing(customer, "12 Nguyễn Trãi, Quận 1", "08:00–21:00", "1900 1234")


async def test_a_product_question_is_pointed_to_the_shops_faq(customer: Customer, shop: TestClient) -> None:
    await teach(shop, STOCK, Intent.PRODUCT_QUESTION)
    await customer.say(STOCK)
    assert await reply_containing(customer, "https://tiemnhamay.vn/hoi-dap", "Gặp nhân viên")
    assert await modes(shop) == ["bot"]
