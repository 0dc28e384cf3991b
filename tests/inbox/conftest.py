from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient

from app.inbox.staff import add_staff
from tests.apps import runtime_of
from tests.flows.conftest import client, clock, telegram  # noqa: F401  (shared app fixtures)

PASSWORD = "correct-horse-battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def csrf_of(client: TestClient, path: str) -> str:
    match = CSRF.search(await (await client.get(path)).text())
    assert match is not None
    return match.group(1)


async def log_in(client: TestClient, email: str, role: str = "agent") -> str:
    """Log in as a new staff member; returns the CSRF token of the new session."""
    runtime = runtime_of(client)
    await add_staff(runtime.sessions, email, email.split("@")[0].title(), role, PASSWORD, runtime.clock())
    token = await csrf_of(client, "/login")
    response = await client.post("/login", data={"csrf": token, "email": email, "password": PASSWORD}, allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/inbox"
    return await csrf_of(client, "/inbox")


@pytest.fixture
async def staff_client(client: TestClient) -> TestClient:
    await log_in(client, "lan@shop.vn")
    return client
