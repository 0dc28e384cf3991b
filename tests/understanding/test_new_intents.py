"""Redelivery, product questions and questions about the shop, end to end on the web chat and
Telegram. The words are taught first, so these hold whichever classifier is active."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from bot.nlu import Intent
from tests.apps import Api
from tests.flows.customers import Customer
from tests.understanding.conftest import answer_to, modes, teach

MISSED = "shipper gọi mà em không bắt máy, giao lại giúp em"
WHERE = "shop mình ở đâu vậy, mấy giờ mở cửa?"
STOCK = "shop còn size M không?"


async def test_a_missed_delivery_is_requested_again_and_the_customer_told_what_happens_next(
    customer: Customer, shop: TestClient
) -> None:
    await teach(shop, MISSED, Intent.REDELIVERY)
    answer = await answer_to(customer, MISSED)
    assert "giao lại đơn HM7001" in answer and "thời gian giao mới" in answer
    _, order = await Api(shop).get("/api/v1/orders/HM7001")
    assert any("another delivery attempt" in (event.get("description") or "") for event in order["timeline"])


async def test_a_redelivery_beside_an_order_code_is_for_that_order(customer: Customer, shop: TestClient) -> None:
    await teach(shop, "giao lại đơn HM7001 giúp em", Intent.REDELIVERY)
    assert "giao lại đơn HM7001" in await answer_to(customer, "giao lại đơn HM7001 giúp em")


async def test_a_question_about_the_shop_is_answered_from_its_settings(customer: Customer, shop: TestClient) -> None:
    await teach(shop, WHERE, Intent.SHOP_INFO)
    answer = await answer_to(customer, WHERE)
    assert "12 Nguyễn Trãi, Quận 1" in answer and "08:00–21:00" in answer and "1900 1234" in answer


async def test_a_product_question_is_pointed_to_the_shops_faq(customer: Customer, shop: TestClient) -> None:
    await teach(shop, STOCK, Intent.PRODUCT_QUESTION)
    answer = await answer_to(customer, STOCK)
    assert "https://tiemnhamay.vn/hoi-dap" in answer and "Gặp nhân viên" in answer
    assert await modes(shop) == ["bot"]
