"""The web chat shows a message live exactly as a reload shows it."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import delete, update

from bot.storage.models import MessageRecord, Outbox

from tests.apps import Api, MovableClock, eventually, runtime_of
from tests.flows.webchat import WebCustomer

DRAWN = ("id", "from", "text", "buttons")  # what the page draws of a message


def drawn(item: dict[str, Any]) -> dict[str, Any]:
    return {key: item[key] for key in DRAWN}


async def nps_question(customer: WebCustomer) -> dict[str, Any]:
    async def asked() -> dict[str, Any] | None:
        return next((m for m in customer.bot_messages() if "giới thiệu" in m["text"]), None)

    found: dict[str, Any] = await eventually(asked)
    return found


async def test_the_nps_question_arrives_live_with_its_buttons_as_a_reload_shows_it(
    client: TestClient, clock: MovableClock
) -> None:
    customer = await WebCustomer(client).open()
    await customer.say("xin chào")
    await customer.reply(1)
    user = customer.session.rpartition(".")[0]
    await Api(client).post("/api/v1/orders", {"code": "HM9001", "customer": {
        "name": "Chị Lan", "channel": "web", "channel_user_id": user}, "status": "in_transit"})
    await Api(client).post("/api/v1/orders/HM9001/events", {"status": "delivered"})
    await customer.reply(3)  # on its way, then delivered
    clock.advance(days=7, seconds=1)
    runtime_of(client).dispatcher.wake()
    live = await nps_question(customer)
    assert [b["title"] for b in live["buttons"]] == [str(n) for n in range(11)]
    assert "0 · 1" not in live["text"]
    reloaded = await WebCustomer(client).open(customer.session)
    assert drawn(await nps_question(reloaded)) == drawn(live)
    await customer.close()
    await reloaded.close()


async def test_a_reload_between_a_send_and_its_record_still_shows_the_reply(client: TestClient) -> None:
    customer = await WebCustomer(client).open()
    await customer.say("xin chào")
    live = await customer.reply(1)
    async with runtime_of(client).sessions.begin() as session:  # the dispatcher's state mid-send
        await session.execute(update(Outbox).where(Outbox.dedupe_key == live["id"]).values(status="sending"))
        await session.execute(delete(MessageRecord).where(MessageRecord.data["key"].as_string() == live["id"]))
    reloaded = await WebCustomer(client).open(customer.session)
    await reloaded.reply(1)
    assert [drawn(m) for m in reloaded.bot_messages()] == [drawn(live)]
    await customer.close()
    await reloaded.close()
