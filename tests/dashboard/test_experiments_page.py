"""The console's experiments page (results per arm for staff; create, start and stop for admins)
and its segments page."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from hypothesis import given, strategies as st
from pydantic import ValidationError

from app.dashboard.experiments import arms_from_lines
from bot.experiments.spec import ExperimentSpec
from tests.dashboard.conftest import seed_history

from tests.flows.conftest import client, clock, telegram  # noqa: F401  (shared app fixtures)
from tests.inbox.conftest import csrf_of, log_in

ARMS = "holdout 10 holdout\ncontrol 45\nfast 45 thanks_delay=2h coupon_percent=15 shipper_phone=no"


async def test_an_admin_creates_and_starts_an_experiment_and_sees_its_arms(client: TestClient) -> None:
    await log_in(client, "owner@shop.vn", role="admin")
    token = await csrf_of(client, "/dashboard/experiments")
    created = await client.post("/dashboard/experiments", data={"csrf": token, "name": "Tết", "arms": ARMS},
                                allow_redirects=False)
    assert created.status == 302
    started = await client.post("/dashboard/experiments/1/start", data={"csrf": token}, allow_redirects=False)
    assert started.status == 302
    page = await (await client.get("/dashboard/experiments")).text()
    assert "Tết" in page and "đang chạy" in page and "fast (0 Đơn)" in page and "chưa đủ dữ liệu" in page


async def test_arms_that_make_no_sense_are_refused_with_the_reason(client: TestClient) -> None:
    await log_in(client, "owner@shop.vn", role="admin")
    token = await csrf_of(client, "/dashboard/experiments")
    response = await client.post("/dashboard/experiments", data={"csrf": token, "name": "x", "arms": "a 1\nb 1"})
    assert response.status == 400 and "control" in await response.text()


async def test_an_agent_sees_experiments_but_cannot_create_them(client: TestClient) -> None:
    await log_in(client, "lan@shop.vn")
    token = await csrf_of(client, "/dashboard/experiments")
    response = await client.post("/dashboard/experiments", data={"csrf": token, "name": "x", "arms": ARMS})
    assert response.status == 403


@given(text=st.text(max_size=300))
def test_any_typed_arms_are_read_or_refused_with_reasons_never_a_crash(text: str) -> None:
    try:
        ExperimentSpec.model_validate({"name": "x", "arms": arms_from_lines(text)})
    except ValidationError as refused:
        assert refused.errors()


async def test_staff_see_segments_and_monthly_cohorts(client: TestClient) -> None:
    await seed_history(client)
    await log_in(client, "lan@shop.vn")
    page = await (await client.get("/dashboard/segments")).text()
    assert "Phân khúc khách hàng" in page and "Mua lại" in page and "2026-" in page and "₫" in page
