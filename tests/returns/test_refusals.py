"""What the returns conversation refuses, and how: a polite, specific answer, nothing recorded
twice, nothing crashing (issue 15's bad input)."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.actions import sealed
from bot.storage.models import Conversation, Order, ReturnEvent, ReturnPhoto, ReturnRequest
from channels.models import Button
from tests.apps import Api, MovableClock, eventually, runtime_of
from tests.fakes.graph import FakeGraph
from tests.fakes.telegram import FakeTelegram
from tests.flows.customers import reply_containing
from tests.flows.webchat import WebCustomer
from tests.returns.conftest import PHOTO_LIMIT
from tests.returns.customers import JPEG, PNG, MessengerPhotos, TelegramPhotos, WebPhotos
from tests.returns.shop import ORDER, ask_for_a_size, choose, delivered

pytestmark = pytest.mark.usefixtures("backend")


async def _linked(shop: TestClient, customer: WebPhotos | TelegramPhotos | MessengerPhotos, status: str = "delivered") -> None:
    await Api(shop).post("/api/v1/orders", ORDER)
    await customer.link(ORDER["code"], ORDER["customer"]["phone"])
    await customer.messages(1)
    if status == "delivered":
        await delivered(shop, customer)


async def _count(shop: TestClient, model: type) -> int:
    async with runtime_of(shop).sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_outside_the_window_the_answer_is_a_polite_specific_no_and_a_person_on_request(
    shop: TestClient, clock: MovableClock
) -> None:
    customer = WebPhotos(shop)
    await _linked(shop, customer)
    clock.advance(days=15)  # the exchange window (14 days) is the longer one
    await customer.say("em muốn trả hàng")
    assert await reply_containing(customer, "HM7005", "quá thời hạn đổi/trả")
    await customer.tap("Gặp nhân viên")

    async def with_a_person() -> bool:
        async with runtime_of(shop).sessions() as db:
            return await db.scalar(select(Conversation.mode)) == "human"

    assert await eventually(with_a_person)
    assert await _count(shop, ReturnRequest) == 0


async def test_an_order_not_yet_delivered_cannot_be_returned_yet(shop: TestClient) -> None:
    customer = WebPhotos(shop)
    await _linked(shop, customer, status="in_transit")
    await customer.say("em muốn đổi size")
    assert await reply_containing(customer, "HM7005", "chưa giao tới bạn")
    assert await _count(shop, ReturnRequest) == 0


async def _at_photo_step(customer: WebPhotos | TelegramPhotos | MessengerPhotos) -> None:
    await customer.say("hàng bị hỏng, em muốn đổi hàng")
    await reply_containing(customer, "lý do")
    await choose(customer, "Hàng lỗi, hỏng")
    await reply_containing(customer, "ảnh chụp")


async def test_a_photo_too_large_on_telegram_is_refused_with_the_limit_and_a_smaller_one_is_taken(
    shop: TestClient, telegram: FakeTelegram
) -> None:
    customer = TelegramPhotos(shop, telegram)
    await _linked(shop, customer)
    await _at_photo_step(customer)
    await customer.photo(JPEG + bytes(PHOTO_LIMIT))
    assert await reply_containing(customer, "Ảnh này lớn quá")
    await customer.photo(JPEG)
    assert await reply_containing(customer, "đổi sản phẩm khác hay hoàn tiền")
    assert await _count(shop, ReturnPhoto) == 1


async def test_a_file_that_is_not_a_photo_on_messenger_is_refused_and_not_stored(shop: TestClient, graph: FakeGraph) -> None:
    customer = MessengerPhotos(shop, graph)
    await _linked(shop, customer)
    await _at_photo_step(customer)
    await customer.photo(b"%PDF-1.7 not a photo at all" + bytes(100))
    assert await reply_containing(customer, "chỉ nhận ảnh chụp")
    assert await _count(shop, ReturnPhoto) == 0


@pytest.mark.parametrize("body, status", [(JPEG + bytes(PHOTO_LIMIT), 413), (b"GIF89a" + bytes(100), 415), (b"", 415)])
async def test_a_web_upload_too_large_or_not_a_photo_is_refused_with_a_reason(shop: TestClient, body: bytes, status: int) -> None:
    customer = WebPhotos(shop)
    await customer.web.open()
    assert await customer.photo(body) == status
    assert await _count(shop, ReturnPhoto) == 0


async def test_a_web_upload_from_another_session_cannot_be_claimed(shop: TestClient) -> None:
    stranger = await WebCustomer(shop).open()
    response = await shop.post("/chat/api/upload", params={"session": stranger.session}, data=PNG)
    assert response.status == 201
    theirs = (await response.json())["attachment"]
    customer = WebPhotos(shop)
    await _linked(shop, customer)
    await _at_photo_step(customer)
    assert await customer.web.say(attachment=theirs) == 200
    assert await reply_containing(customer, "chưa tải được ảnh này")
    async with runtime_of(shop).sessions() as db:
        assert await db.scalar(select(ReturnPhoto.request_id)) is None


async def test_a_button_sealed_for_someone_else_is_refused_and_changes_nothing(shop: TestClient) -> None:
    owner = WebPhotos(shop)
    await _linked(shop, owner)
    async with runtime_of(shop).sessions() as db:
        order = await db.scalar(select(Order).where(Order.code == "HM7005"))
    assert order is not None and order.contact_id is not None
    forwarded = sealed(runtime_of(shop).secret, order.contact_id, [Button("x", f"rt:o:{order.id}")])[0].action
    stranger = await WebCustomer(shop).open()
    for payload in (forwarded, f"rt:o:{order.id}~AAAAAAAAAA", "rt:c:1"):
        assert await stranger.say(action=payload) == 200
    await stranger.reply(3)
    assert all("nút này không dùng được" in m["text"] for m in stranger.bot_messages())
    assert await _count(shop, ReturnRequest) == 0


async def test_a_double_tap_on_confirm_records_the_request_once(shop: TestClient) -> None:
    customer = WebPhotos(shop)
    await _linked(shop, customer)
    await ask_for_a_size(customer, "size L", taps=2)
    await reply_containing(customer, "đã duyệt yêu cầu đổi hàng")
    await customer.say("cảm ơn shop")
    await customer.messages(len(await customer.messages(0)) + 1)
    async with runtime_of(shop).sessions() as db:
        states = list(await db.scalars(select(ReturnEvent.state).order_by(ReturnEvent.id)))
    assert states == ["requested", "approved"]
    approvals = [t for t in await customer.messages(0) if "đã duyệt yêu cầu" in t]
    assert len(approvals) == 1


async def test_a_question_while_the_photo_is_awaited_is_answered_and_the_photo_still_taken(shop: TestClient) -> None:
    customer = WebPhotos(shop)
    await _linked(shop, customer)
    await _at_photo_step(customer)
    await customer.say("đơn của em tới đâu rồi?")
    assert await reply_containing(customer, "HM7005", "Đã giao thành công")
    await customer.photo(PNG)
    assert await reply_containing(customer, "đổi sản phẩm khác hay hoàn tiền")
