"""A customer on the web chat asks where their order is."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from bot.linktokens import make_token
from tests.apps import Api, runtime_of
from tests.flows.webchat import WebCustomer

ORDER = {
    "code": "HM1001", "customer": {"name": "Chị Lan", "phone": "0987654321"},
    "items": [{"name": "Áo thun", "quantity": 2, "price": 150000}], "total": 300000,
    "carrier": "ghn", "tracking_code": "LBK3X7QH", "eta": "2026-11-26", "status": "in_transit",
}


async def test_an_order_code_alone_gets_the_status_and_eta_and_how_to_see_more(client: TestClient) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    customer = await WebCustomer(client).open()
    assert await customer.say("HM1001") == 200
    text = (await customer.reply())["text"]
    assert "HM1001" in text and "Đang vận chuyển" in text and "26/11/2026" in text
    assert "LBK3X7QH" not in text and "Giao Hàng Nhanh" not in text and "đường link" in text
    await customer.close()


async def test_an_unlinked_customer_asking_is_asked_for_the_order_code(client: TestClient) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    customer = await WebCustomer(client).open()
    await customer.say("đơn của em tới đâu rồi?")
    text = (await customer.reply())["text"]
    assert "mã đơn" in text and "HM1001" not in text.replace("ví dụ HM1001", "")
    await customer.close()


async def test_a_customer_who_opened_the_shops_link_gets_their_order_without_a_code(client: TestClient) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    runtime = runtime_of(client)
    token = make_token(runtime.secret, "HM1001", runtime.clock().date().replace(year=2027))
    customer = await WebCustomer(client).open()
    await customer.say(link=token)
    await customer.reply(2)
    await customer.say("don hang cua toi den dau roi")
    text = (await customer.reply(3))["text"]
    assert "HM1001" in text and "Đang vận chuyển" in text and "LBK3X7QH" in text
    await customer.close()


async def test_a_forged_session_is_refused(client: TestClient) -> None:
    response = await client.post("/chat/api/messages", json={"session": "abc.def", "id": "1", "text": "hi"})
    assert response.status == 403


async def test_the_web_chat_is_not_reachable_as_a_provider_webhook(client: TestClient) -> None:
    """Its browser speaks the web chat's own API, where sessions are checked; /webhooks is for providers."""
    response = await client.post("/webhooks/web", json={"session": "x.y", "id": "1", "text": "chào shop"})
    assert response.status == 404 and (await response.json())["error"] == "channel_not_configured"
