"""Password guessing is slowed per account, whichever addresses it comes from, without
revealing which accounts exist."""

from __future__ import annotations

import re
from typing import AsyncIterator

import pytest
from aiohttp import ClientSession, CookieJar, TCPConnector
from aiohttp.test_utils import TestClient

from app.inbox.staff import add_staff
from tests.apps import runtime_of
from tests.inbox.conftest import CSRF, PASSWORD

ADDRESSES = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]  # the app sees each as a different client
ERROR = re.compile(r'<p class="error">([^<]*)</p>')


class Browser:
    """A browser on its own address: its own connection source, cookies and CSRF token."""

    def __init__(self, client: TestClient, address: str, lang: str = "vi") -> None:
        self._login = client.make_url(f"/login?lang={lang}")
        self._session = ClientSession(connector=TCPConnector(local_addr=(address, 0)), cookie_jar=CookieJar(unsafe=True))

    async def log_in(self, email: str, password: str) -> str:
        """The login page's error after trying, or "" when it let us in."""
        async with self._session.get(self._login) as page:
            match = CSRF.search(await page.text())
        assert match is not None
        async with self._session.post(
            self._login, data={"csrf": match.group(1), "email": email, "password": password},
            allow_redirects=False,
        ) as response:
            found = ERROR.search(await response.text())
            return found.group(1) if found else ""

    async def close(self) -> None:
        await self._session.close()


@pytest.fixture
async def browsers(client: TestClient) -> AsyncIterator[list[Browser]]:
    opened = [Browser(client, address) for address in ADDRESSES]
    yield opened
    for browser in opened:
        await browser.close()


async def guesses(browsers: list[Browser], email: str, count: int) -> list[str]:
    """`count` wrong passwords for one account, spread over every address in turn."""
    return [await browsers[n % len(browsers)].log_in(email, f"guess-number-{n}") for n in range(count)]


def without_numbers(message: str) -> str:
    return re.sub(r"\d+", "N", message)


async def test_eleven_wrong_passwords_for_one_account_from_several_addresses_are_throttled(
    client: TestClient, browsers: list[Browser]
) -> None:
    runtime = runtime_of(client)
    await add_staff(runtime.sessions, "lan@shop.vn", "Lan", "agent", PASSWORD, runtime.clock())
    pages = await guesses(browsers, "lan@shop.vn", 11)
    assert all("không đúng" in page for page in pages[:10])
    assert "quá nhiều lần" in pages[10] and "phút" in pages[10]


async def test_a_throttled_account_refuses_even_the_right_password(client: TestClient, browsers: list[Browser]) -> None:
    runtime = runtime_of(client)
    await add_staff(runtime.sessions, "lan@shop.vn", "Lan", "agent", PASSWORD, runtime.clock())
    await guesses(browsers, "lan@shop.vn", 10)
    assert "quá nhiều lần" in await browsers[0].log_in("lan@shop.vn", PASSWORD)


async def test_an_unknown_account_is_throttled_with_the_same_words(client: TestClient, browsers: list[Browser]) -> None:
    runtime = runtime_of(client)
    await add_staff(runtime.sessions, "lan@shop.vn", "Lan", "agent", PASSWORD, runtime.clock())
    known = await guesses(browsers, "lan@shop.vn", 11)
    unknown = await guesses(browsers[::-1], "nobody@shop.vn", 11)
    assert unknown[:10] == known[:10]
    assert without_numbers(unknown[10]) == without_numbers(known[10])


async def test_throttling_one_account_leaves_colleagues_free_to_log_in(client: TestClient, browsers: list[Browser]) -> None:
    runtime = runtime_of(client)
    await add_staff(runtime.sessions, "minh@shop.vn", "Minh", "agent", PASSWORD, runtime.clock())
    await guesses(browsers[:2], "lan@shop.vn", 10)
    assert await browsers[2].log_in("minh@shop.vn", PASSWORD) == ""


async def test_the_throttle_message_is_in_english_for_english_pages(client: TestClient, browsers: list[Browser]) -> None:
    await guesses(browsers, "lan@shop.vn", 10)
    english = Browser(client, ADDRESSES[0], lang="en")
    try:
        assert "Too many login attempts" in await english.log_in("lan@shop.vn", "x")
    finally:
        await english.close()
