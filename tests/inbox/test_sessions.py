"""Ending a staff login ends it on the server: a copy of the old cookie opens nothing."""

from __future__ import annotations

import asyncio
import sys
from http.cookies import SimpleCookie

from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from app.inbox.staff import add_staff
from tests.apps import MovableClock, runtime_of
from tests.conftest import Backend
from tests.inbox.conftest import PASSWORD, csrf_of, log_in

COOKIE = "haumai_staff"
NEW_PASSWORD = "a-brand-new-password"


def cookie_of(client: TestClient) -> str:
    return client.session.cookie_jar.filter_cookies(client.make_url("/"))[COOKIE].value


def replay(client: TestClient, cookie: str) -> None:
    """Put a copied cookie back, as someone holding a copy of it would."""
    jar = SimpleCookie()
    jar[COOKIE] = cookie
    client.session.cookie_jar.update_cookies(jar, client.make_url("/"))


async def reset_password(backend: Backend, email: str, password: str) -> str:
    """`haumai staff reset-password EMAIL --password-stdin`, as an operator runs it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "staff", "reset-password", email, "--password-stdin",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "HAUMAI_DATABASE_URL": backend.database_url},
    )
    out, err = await process.communicate(f"{password}\n".encode())
    assert process.returncode == 0, err.decode()
    return out.decode()


async def log_in_again(client: TestClient, email: str, password: str) -> int:
    token = await csrf_of(client, "/login")
    response = await client.post("/login", data={"csrf": token, "email": email, "password": password}, allow_redirects=False)
    return response.status


async def test_after_logout_the_old_cookie_no_longer_opens_the_inbox(client: TestClient) -> None:
    await log_in(client, "lan@shop.vn")
    old = cookie_of(client)
    await client.post("/logout", data={"csrf": await csrf_of(client, "/inbox")})
    replay(client, old)
    response = await client.get("/inbox", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/login"


async def test_after_logout_the_old_cookie_and_its_csrf_token_are_refused(client: TestClient) -> None:
    token = await log_in(client, "lan@shop.vn")
    old = cookie_of(client)
    await client.post("/logout", data={"csrf": token})
    replay(client, old)
    response = await client.post("/inbox/canned", data={"csrf": token, "title": "x", "text": "y"}, allow_redirects=False)
    assert response.status == 403 and (await response.json())["error"] == "csrf"


async def test_the_live_stream_refuses_a_logged_out_cookie(client: TestClient) -> None:
    token = await log_in(client, "lan@shop.vn")
    old = cookie_of(client)
    await client.post("/logout", data={"csrf": token})
    replay(client, old)
    assert (await client.get("/inbox/stream")).status == 401


async def test_logging_out_on_one_device_keeps_the_other_signed_in(client: TestClient, aiohttp_client: AiohttpClient) -> None:
    token = await log_in(client, "lan@shop.vn")
    phone: TestClient = await aiohttp_client(client.server)
    assert await log_in_again(phone, "lan@shop.vn", PASSWORD) == 302
    await client.post("/logout", data={"csrf": token})
    assert (await phone.get("/inbox", allow_redirects=False)).status == 200


async def test_a_new_password_ends_every_session_of_that_person(client: TestClient, backend: Backend) -> None:
    await log_in(client, "lan@shop.vn")
    old = cookie_of(client)
    said = await reset_password(backend, "lan@shop.vn", NEW_PASSWORD)
    assert "sessions are ended" in said
    replay(client, old)
    assert (await client.get("/inbox", allow_redirects=False)).status == 302
    assert await log_in_again(client, "lan@shop.vn", PASSWORD) == 200  # the old password is refused
    assert await log_in_again(client, "lan@shop.vn", NEW_PASSWORD) == 302


async def test_a_new_password_for_someone_else_leaves_my_session_alone(client: TestClient, backend: Backend) -> None:
    await log_in(client, "lan@shop.vn")
    runtime = runtime_of(client)
    await add_staff(runtime.sessions, "minh@shop.vn", "Minh", "agent", PASSWORD, runtime.clock())
    await reset_password(backend, "minh@shop.vn", NEW_PASSWORD)
    assert (await client.get("/inbox", allow_redirects=False)).status == 200


async def test_a_login_expires_after_twelve_hours_whatever_the_cookie_says(client: TestClient, clock: MovableClock) -> None:
    await log_in(client, "lan@shop.vn")
    clock.advance(hours=12, seconds=1)
    assert (await client.get("/inbox", allow_redirects=False)).status == 302
