"""`/dashboard` over HTTP: the owner's figures for a period, CSV of each table, drill-down lists."""

from __future__ import annotations

import csv
import io
from aiohttp.test_utils import TestClient

from app.history import History
from tests.apps import Api, runtime_of
from tests.dashboard.expected import expected, last_30_days


async def test_the_dashboard_needs_a_staff_login(client: TestClient) -> None:
    response = await client.get("/dashboard", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/login"


async def test_the_dashboard_shows_the_period_figures_beside_the_previous_period(owner: tuple[TestClient, History]) -> None:
    client, _ = owner
    page = await (await client.get("/dashboard?from=2026-10-26&to=2026-11-23")).text()
    assert 'data-figure="deflection"' in page and "Kỳ trước" in page
    assert page.count("<canvas") == 3


async def test_each_table_downloads_as_csv_with_headers_in_the_staff_language(owner: tuple[TestClient, History]) -> None:
    client, _ = owner
    response = await client.get("/dashboard?format=csv&table=handoffs&lang=en")
    assert response.status == 200 and response.content_type == "text/csv"
    rows = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Staff", "Handoffs", "Resolved"] and len(rows) >= 2


async def test_an_unknown_table_or_a_period_ending_before_it_starts_is_refused_with_a_reason(owner: tuple[TestClient, History]) -> None:
    client, _ = owner
    unknown = await client.get("/dashboard?format=csv&table=passwords")
    backwards = await client.get("/dashboard?from=2026-11-20&to=2026-11-01")
    assert unknown.status == 400 and "table is one of" in (await unknown.json())["detail"]
    assert backwards.status == 400 and (await backwards.json())["error"] == "invalid_period"


async def test_a_drill_down_lists_the_conversations_behind_the_figure(owner: tuple[TestClient, History]) -> None:
    client, history = owner
    page = await (await client.get("/dashboard/drill/handoffs")).text()
    opened = expected(history, *last_30_days(runtime_of(client).clock()))["handoffs"]["opened"]
    assert page.count('href="/inbox/c/') == opened


async def test_the_api_metrics_are_the_dashboard_figures(owner: tuple[TestClient, History]) -> None:
    client, history = owner
    status, metrics = await Api(client).get("/api/v1/metrics")
    want = expected(history, *last_30_days(runtime_of(client).clock()))
    assert status == 200
    assert {k: metrics["wismo"][k] for k in ("questions", "deflected", "deflection_pct", "per_100_delivered")} == want["wismo"]
