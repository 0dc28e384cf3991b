"""The returns conversation in English, for a shop (or a customer) whose language is English."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from app.web import create_app
from tests.apps import Api, MovableClock, settings_for
from tests.conftest import Backend
from tests.flows.customers import reply_containing
from tests.returns.customers import WebPhotos
from tests.returns.shop import ORDER


@pytest.fixture
async def english_shop(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock) -> TestClient:
    return await aiohttp_client(create_app(settings_for(backend, HAUMAI_LANGUAGE="en"), clock=clock))


async def test_an_exchange_is_asked_for_and_summed_up_in_english(english_shop: TestClient) -> None:
    customer = WebPhotos(english_shop)
    await Api(english_shop).post("/api/v1/orders", {**ORDER, "status": "delivered"})
    await customer.link(ORDER["code"], ORDER["customer"]["phone"])
    await customer.messages(1)
    await customer.say("I want to return it, it's too small")
    await reply_containing(customer, "What's the reason?")
    await customer.tap("Too small")
    await reply_containing(customer, "exchange or a refund")
    await customer.tap("🔁 Exchange")
    await reply_containing(customer, "Which size or colour")
    await customer.say("size M")
    assert await reply_containing(customer, "Here is your request", "Reason: Too small", "Exchange for: size M")
    await customer.tap("✅ Confirm")
    assert await reply_containing(customer, "Your exchange for order HM7005 is approved")
