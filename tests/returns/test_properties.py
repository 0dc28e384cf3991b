"""Properties of the returns edges under hostile input: photo bytes, bank accounts, tapped payloads."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.actions import sealed
from bot.returns.photos import PhotoRefused, checked, image_type
from bot.returns.policy import masked
from bot.storage.models import EventStatus, InboundEvent, Order, ReturnEvent
from channels.models import Button
from tests.apps import Api, eventually, runtime_of
from tests.flows.customers import reply_containing
from tests.returns.customers import WebPhotos
from tests.returns.shop import ORDER, delivered

LIMIT = 4096


@given(st.binary(max_size=LIMIT + 64))
def test_photo_bytes_are_taken_only_as_a_jpeg_png_or_webp_within_the_limit(data: bytes) -> None:
    try:
        photo = checked(data, LIMIT)
    except PhotoRefused as refused:
        assert refused.reason == ("too_large" if len(data) > LIMIT else "wrong_type")
    else:
        assert len(photo.data) <= LIMIT and photo.content_type == image_type(data) is not None


@given(st.text(max_size=100))
def test_a_bank_account_is_never_shown_beyond_its_last_four_characters(account: str) -> None:
    shown = masked(account)
    assert len(shown.replace("•", "")) <= 4
    assert not account or len(account) <= 6 or shown.endswith(account[-4:])


ACTIONS = st.lists(st.sampled_from(["o", "i", "r", "x", "m", "c", "n", "1", "0", "-1", "all", "bank", "exchange",
                                    "refund", "broken", "99999999999999999999", "", "²", "\x00"]), max_size=4)


@pytest.fixture
async def in_a_return(shop: TestClient) -> tuple[WebPhotos, int]:
    customer = WebPhotos(shop)
    await Api(shop).post("/api/v1/orders", ORDER)
    await customer.link(ORDER["code"], ORDER["customer"]["phone"])
    await customer.messages(1)
    await delivered(shop, customer)
    await customer.say("em muốn đổi hàng")
    await reply_containing(customer, "lý do")
    async with runtime_of(shop).sessions() as db:
        contact = await db.scalar(select(Order.contact_id).where(Order.code == "HM7005"))
    assert contact is not None
    return customer, contact


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=ACTIONS)
async def test_any_return_tap_sealed_for_the_customer_is_answered_without_a_failure_and_requests_once(
    shop: TestClient, in_a_return: tuple[WebPhotos, int], parts: list[str]
) -> None:
    customer, contact = in_a_return
    action = sealed(runtime_of(shop).secret, contact, [Button("x", ":".join(["rt", *parts]))])[0].action
    assert await customer.web.say(action=action) == 200

    async def settled() -> bool:
        async with runtime_of(shop).sessions() as db:
            return not await db.scalar(select(func.count()).select_from(InboundEvent)
                                       .where(InboundEvent.status == EventStatus.PROCESSING))

    await eventually(settled)
    async with runtime_of(shop).sessions() as db:
        failed = await db.scalar(select(func.count()).select_from(InboundEvent).where(InboundEvent.status == EventStatus.FAILED))
        requested = await db.scalar(select(func.count()).select_from(ReturnEvent).where(ReturnEvent.state == "requested"))
    assert failed == 0 and (requested or 0) <= 1
