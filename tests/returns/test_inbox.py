"""Staff decide return requests in the inbox: pending first with photo, order and verdict; one
click approves (the pickup is then booked) or rejects with a reason the customer is told."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy import select

from app.web import create_app
from bot.storage.models import Conversation, ReturnEvent, ReturnRequest
from tests.apps import Api, MovableClock, runtime_of, settings_for
from tests.conftest import Backend
from tests.fakes.telegram import FakeTelegram
from tests.flows.conftest import telegram_env
from tests.flows.customers import reply_containing
from tests.inbox.conftest import csrf_of, log_in
from tests.returns.customers import PNG, TelegramPhotos
from tests.returns.shop import ORDER, ask_for_a_refund, delivered

FOR_STAFF = {"HAUMAI_RETURNS_FREE_REASONS": "wrong_item,missing_item"}  # "not as pictured" waits for a person


@pytest.fixture
async def staffed(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock, telegram: FakeTelegram) -> TestClient:
    settings = settings_for(backend, **telegram_env(telegram), **FOR_STAFF)
    return await aiohttp_client(create_app(settings, clock=clock))


@pytest.fixture
async def pending(staffed: TestClient, telegram: FakeTelegram) -> TelegramPhotos:
    customer = TelegramPhotos(staffed, telegram)
    await Api(staffed).post("/api/v1/orders", ORDER)
    await customer.link(ORDER["code"], ORDER["customer"]["phone"])
    await customer.messages(1)
    await delivered(staffed, customer)
    await ask_for_a_refund(customer, "Không giống hình", photo=PNG)
    return customer


async def _request(client: TestClient) -> ReturnRequest:
    async with runtime_of(client).sessions() as db:
        found = await db.scalar(select(ReturnRequest))
    assert found is not None
    return found


async def test_a_pending_request_shows_first_with_its_photo_order_and_verdict(staffed: TestClient, pending: TelegramPhotos) -> None:
    await log_in(staffed, "lan@shop.vn")
    page = await (await staffed.get("/inbox/returns")).text()
    assert "HM7005" in page and "Cần nhân viên quyết định" in page and "••••6789" in page and "0123456789" not in page
    assert '<a href="/inbox/returns" id="returns-link">Đổi/trả <span class="badge">1</span>' in page
    request = await _request(staffed)
    photo = await staffed.get(page.split('class="return-photo" src="')[1].split('"')[0])
    assert photo.status == 200 and photo.content_type == "image/png" and await photo.read() == PNG
    assert request.state == "requested"


async def test_one_click_approves_books_the_pickup_and_tells_the_customer_each_step_once(
    staffed: TestClient, pending: TelegramPhotos
) -> None:
    token = await log_in(staffed, "lan@shop.vn")
    request = await _request(staffed)
    for _ in range(2):  # a double click
        response = await staffed.post(f"/inbox/returns/{request.id}/approve", data={"csrf": token}, allow_redirects=False)
        assert response.status == 302
    await reply_containing(pending, "đã được shop duyệt")
    await reply_containing(pending, "Haumai Express (demo) tới lấy hàng", "SBR")
    async with runtime_of(staffed).sessions() as db:
        events = [(e.state, e.actor) for e in await db.scalars(select(ReturnEvent).order_by(ReturnEvent.id))]
    assert events == [("requested", "customer"), ("approved", "staff"), ("pickup_scheduled", "bot")]
    assert len([t for t in await pending.messages(0) if "đã được shop duyệt" in t]) == 1


async def test_a_rejection_needs_a_reason_which_the_customer_reads(staffed: TestClient, pending: TelegramPhotos) -> None:
    token = await log_in(staffed, "lan@shop.vn")
    request = await _request(staffed)
    refused = await staffed.post(f"/inbox/returns/{request.id}/reject", data={"csrf": token})
    assert refused.status == 409 and (await _request(staffed)).state == "requested"
    await staffed.post(f"/inbox/returns/{request.id}/reject", data={"csrf": token, "note": "Sản phẩm đã qua sử dụng"})
    await reply_containing(pending, "chưa được chấp nhận", "Sản phẩm đã qua sử dụng")


async def test_a_decision_without_the_sessions_csrf_token_is_refused(staffed: TestClient, pending: TelegramPhotos) -> None:
    await log_in(staffed, "lan@shop.vn")
    request = await _request(staffed)
    response = await staffed.post(f"/inbox/returns/{request.id}/approve", data={"csrf": "forged"})
    assert response.status == 403 and (await _request(staffed)).state == "requested"
    assert await csrf_of(staffed, "/inbox/returns")


async def test_the_customer_card_beside_the_conversation_links_to_their_return(staffed: TestClient, pending: TelegramPhotos) -> None:
    await log_in(staffed, "lan@shop.vn")
    request = await _request(staffed)
    async with runtime_of(staffed).sessions() as db:
        conversation = await db.scalar(select(Conversation.id))
    page = await (await staffed.get(f"/inbox/c/{conversation}")).text()
    assert f'<a href="/inbox/returns#r{request.id}">Đổi/trả HM7005</a> · Không giống hình · Chờ duyệt' in page
