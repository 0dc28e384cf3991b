"""The demo's returns story: Chị Thu's dress is a size too small; she asks in the web chat, the
sandbox carrier books the pickup behind the carrier interface, and the demo's carrier walks the
return parcel back to the shop, each step told in the chat."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from app.demo import STEP_SECONDS, advance_sandbox, seed
from bot.storage.models import Order, ReturnRequest
from tests.apps import MovableClock, runtime_of
from tests.flows.conftest import client  # noqa: F401  (the app with default settings: pickups by the sandbox carrier)
from tests.flows.customers import reply_containing
from tests.returns.customers import WebPhotos
from tests.returns.shop import ask_for_a_size


async def test_the_demo_customer_exchanges_a_dress_too_small_and_its_return_parcel_comes_back(
    client: TestClient, clock: MovableClock  # noqa: F811
) -> None:
    runtime = runtime_of(client)
    links = {c["key"]: c["token"] for c in await seed(runtime)}
    thu = WebPhotos(client)
    await thu.web.open()
    assert await thu.web.say(link=links["thu"]) == 200
    await reply_containing(thu, "HM1005")
    await ask_for_a_size(thu, "size M")
    assert await reply_containing(thu, "tóm tắt", "Váy hoa nhí size S")
    await reply_containing(thu, "Haumai Express (demo) tới lấy hàng", "SBR")
    for _ in range(4):  # picked up, in transit, out for delivery, delivered to the shop
        clock.advance(seconds=STEP_SECONDS + 1)
        await advance_sandbox(runtime)
    await reply_containing(thu, "Shipper đã lấy hàng đổi/trả đơn HM1005")
    await reply_containing(thu, "Shop đã nhận lại hàng của đơn HM1005")
    async with runtime.sessions() as db:
        request = await db.scalar(select(ReturnRequest))
        parcel = await db.scalar(select(Order).where(Order.direction == "return"))
    assert request is not None and parcel is not None
    assert (request.state, parcel.status, parcel.tracking_code) == ("received", "delivered", f"SBR{request.id}")
