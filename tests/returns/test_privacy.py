"""A customer who asks Zalo to delete their data takes their return photos and refund account with them."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.storage.models import ReturnPhoto, ReturnRequest
from tests.apps import Api, runtime_of
from tests.fakes.zalo import FakeZalo
from tests.returns.customers import PNG, ZaloPhotos
from tests.returns.shop import ORDER, ask_for_a_refund, delivered


async def test_a_withdrawal_erases_return_photos_and_the_refund_account_and_keeps_the_request(
    shop: TestClient, zalo: FakeZalo
) -> None:
    customer = ZaloPhotos(shop, zalo)
    await Api(shop).post("/api/v1/orders", ORDER)
    await customer.link(ORDER["code"], ORDER["customer"]["phone"])
    await customer.messages(1)
    await delivered(shop, customer)
    await ask_for_a_refund(customer, "Hàng lỗi, hỏng", photo=PNG, answer="đã duyệt yêu cầu hoàn tiền")
    await customer.withdraw()
    async with runtime_of(shop).sessions() as db:
        photos = list(await db.scalars(select(ReturnPhoto.id)))
        request = await db.scalar(select(ReturnRequest))
    assert photos == []
    assert request is not None and request.refund_account is None and request.reason == "broken"
