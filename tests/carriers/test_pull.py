"""Each carrier's pull API (`fetch`), against a local fake speaking that carrier's own format.

Only GHN and GHTK pull over HTTP. The others are tracked from their webhooks alone, so their
`fetch` must say "not found" without a call, which the poller reads as "nothing new".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import AsyncIterator

import aiohttp
import pytest

from carriers import common
from carriers.ahamove import AhamoveCarrier
from carriers.base import Carrier, CarrierUnavailable, TrackingNotFound
from carriers.ghn import GhnCarrier
from carriers.jnt import JntCarrier
from carriers.ninjavan import NinjaVanCarrier
from carriers.registry import build_carriers
from carriers.viettelpost import ViettelPostCarrier
from carriers.vnpost import VnpostCarrier
from tests.fakes.carriers import FakeCarrier, FakeGhn, FakeGhtk
from tests.fakes.server import running

TOKEN = "carrier-api-token"
CODES = {"ghn": "GAN6D8A9", "ghtk": "S1.A1.17373471"}
FAKES: dict[str, type[FakeCarrier]] = {"ghn": FakeGhn, "ghtk": FakeGhtk}
RECORDED_CUSTOMERS = ("Nguyễn Thị Lan", "0987654321", "Anh Minh", "0903123456")  # in the recorded answers


@dataclass(frozen=True)
class Pull:
    """A pulling carrier as the app builds it, its API base pointing at its running fake."""

    carrier: Carrier
    fake: FakeCarrier
    code: str


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as http:
        yield http


@pytest.fixture(params=sorted(FAKES))
async def pull(request: pytest.FixtureRequest) -> AsyncIterator[Pull]:
    fake = FAKES[request.param]()
    async for _ in running(fake):
        carriers = build_carriers(ghn_token=TOKEN, ghn_api_base=fake.base, ghtk_token=TOKEN, ghtk_api_base=fake.base)
        yield Pull(carriers[request.param], fake, CODES[request.param])


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Carriers share one client timeout (3 s); a shorter one keeps the hang tests quick."""
    monkeypatch.setattr(common, "TIMEOUT", aiohttp.ClientTimeout(total=0.2))


async def test_a_configured_pulling_carrier_can_pull(pull: Pull) -> None:
    assert pull.carrier.can_pull


async def test_each_call_names_the_code_and_carries_the_api_token(pull: Pull, session: aiohttp.ClientSession) -> None:
    await pull.carrier.fetch(session, pull.code)
    [call] = pull.fake.requests
    assert call["code"] == pull.code and call["headers"]["Token"] == TOKEN


@pytest.mark.parametrize("pull, raw, expected", [
    ("ghn", "delivering", "out_for_delivery"), ("ghn", "delivered", "delivered"),
    ("ghn", "waiting_to_return", "delivery_failed"), ("ghn", "return", "returning"),
    ("ghtk", 4, "out_for_delivery"), ("ghtk", 5, "delivered"), ("ghtk", 9, "delivery_failed"), ("ghtk", -1, "cancelled"),
], indirect=["pull"])
async def test_the_reported_status_is_the_newest_event_in_canonical_terms(
    pull: Pull, session: aiohttp.ClientSession, raw: str | int, expected: str
) -> None:
    pull.fake.status = raw
    events = await pull.carrier.fetch(session, pull.code)
    assert events[-1].status == expected and events[-1].raw_code == str(raw)


@pytest.mark.parametrize("pull, expected", [
    ("ghn", datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)),  # ISO-8601 with Z
    ("ghtk", datetime(2026, 11, 24, 9, 18, 39, tzinfo=timezone(timedelta(hours=7)))),  # local, no zone
], indirect=["pull"])
async def test_event_time_carries_the_carriers_own_offset(
    pull: Pull, session: aiohttp.ClientSession, expected: datetime
) -> None:
    occurred_at = (await pull.carrier.fetch(session, pull.code))[-1].occurred_at
    assert occurred_at == expected and occurred_at.utcoffset() == expected.utcoffset()


async def test_a_5xx_answer_makes_the_carrier_unavailable(pull: Pull, session: aiohttp.ClientSession) -> None:
    pull.fake.mode = "error"
    with pytest.raises(CarrierUnavailable):
        await pull.carrier.fetch(session, pull.code)


async def test_an_unreadable_answer_is_reported_without_the_customer_it_names(pull: Pull, session: aiohttp.ClientSession) -> None:
    pull.fake.mode = "garbled"
    with pytest.raises(CarrierUnavailable) as unavailable:
        await pull.carrier.fetch(session, pull.code)
    reason = str(unavailable.value)
    assert "unexpected" in reason and not [value for value in RECORDED_CUSTOMERS if value in reason]


async def test_a_carrier_that_does_not_answer_in_time_is_unavailable(
    pull: Pull, session: aiohttp.ClientSession, short_timeout: None
) -> None:
    pull.fake.mode = "hang"
    with pytest.raises(CarrierUnavailable):
        await pull.carrier.fetch(session, pull.code)


async def test_a_code_the_carrier_does_not_know_is_not_found(pull: Pull, session: aiohttp.ClientSession) -> None:
    pull.fake.unknown.add("NOSUCHCODE")
    with pytest.raises(TrackingNotFound):
        await pull.carrier.fetch(session, "NOSUCHCODE")


@pytest.mark.parametrize("pull", ["ghn"], indirect=True)
async def test_ghn_gives_the_whole_log_oldest_first(pull: Pull, session: aiohttp.ClientSession) -> None:
    events = await pull.carrier.fetch(session, pull.code)
    assert [e.status for e in events] == ["picked_up", "out_for_delivery"]


@pytest.mark.parametrize("pull", ["ghn"], indirect=True)
async def test_ghn_leadtime_is_the_expected_delivery_date(pull: Pull, session: aiohttp.ClientSession) -> None:
    assert {e.eta for e in await pull.carrier.fetch(session, pull.code)} == {date(2026, 11, 26)}


@pytest.mark.parametrize("pull", ["ghn"], indirect=True)
async def test_ghn_waiting_to_return_awaits_the_shops_decision(pull: Pull, session: aiohttp.ClientSession) -> None:
    pull.fake.status = "waiting_to_return"
    assert (await pull.carrier.fetch(session, pull.code))[-1].awaiting_shop_decision


@pytest.mark.parametrize("pull", ["ghn"], indirect=True)
async def test_a_pulled_ghn_step_has_the_id_of_the_same_step_pushed_by_webhook(
    pull: Pull, session: aiohttp.ClientSession
) -> None:
    pulled = (await pull.carrier.fetch(session, pull.code))[-1]
    webhook = b'{"OrderCode": "GAN6D8A9", "Type": "switch_status", "Status": "delivering", "Time": "2026-11-24T02:00:00Z"}'
    [pushed] = GhnCarrier().parse_webhook(webhook, "application/json", {})
    assert pulled.provider_event_id == pushed.provider_event_id


@pytest.mark.parametrize("pull", ["ghtk"], indirect=True)
@pytest.mark.parametrize("raw", [4, "4"])
async def test_ghtk_status_is_read_as_a_number_or_a_string(
    pull: Pull, session: aiohttp.ClientSession, raw: str | int
) -> None:
    pull.fake.status = raw
    assert (await pull.carrier.fetch(session, pull.code))[-1].status == "out_for_delivery"


@pytest.mark.parametrize("pull", ["ghtk"], indirect=True)
async def test_ghtk_answer_names_the_shops_own_order(pull: Pull, session: aiohttp.ClientSession) -> None:
    [event] = await pull.carrier.fetch(session, pull.code)
    assert (event.tracking_code, event.order_code) == (pull.code, "HM3002")


@pytest.mark.parametrize("carrier", [
    ViettelPostCarrier("vtp-secret"), JntCarrier(), NinjaVanCarrier("client-key"), VnpostCarrier(), AhamoveCarrier(),
], ids=lambda carrier: carrier.id)
async def test_a_carrier_without_a_pull_api_says_not_found_without_a_call(carrier: Carrier) -> None:
    closed = aiohttp.ClientSession()
    await closed.close()  # any request on it would fail with RuntimeError, not TrackingNotFound
    with pytest.raises(TrackingNotFound):
        await carrier.fetch(closed, "841000072647")
    assert not carrier.can_pull


async def test_ghtk_calls_carry_the_partner_code_when_the_shop_has_one(session: aiohttp.ClientSession) -> None:
    fake = FAKES["ghtk"]()
    async for _ in running(fake):
        carrier = build_carriers(ghtk_token=TOKEN, ghtk_api_base=fake.base, ghtk_partner_code="S123456")["ghtk"]
        await carrier.fetch(session, CODES["ghtk"])
        assert fake.requests[0]["headers"]["X-Client-Source"] == "S123456"
