"""The demo, `orders import` and `staff add`, run as a new user runs them (no database option),
share one database: what the commands add, the running demo sees."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import IO

import pytest

from tests.inbox.conftest import CSRF

PASSWORD = "mật-khẩu-đủ-dài-2026"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def haumai(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, env=clean_env(), timeout=120)


def clean_env() -> dict[str, str]:
    """A new user's shell: no HAUMAI_* settings at all."""
    return {k: v for k, v in os.environ.items() if not k.startswith("HAUMAI_")}


def wait_for_line(stream: IO[str], pattern: str, timeout: float = 120) -> re.Match[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            raise AssertionError(f"the demo ended before printing {pattern!r}")
        found = re.search(pattern, line)
        if found:
            return found
    raise AssertionError(f"the demo never printed {pattern!r}")


def get(url: str, api_key: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {api_key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as failure:
        return failure.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def logs_in(base: str, email: str, password: str) -> bool:
    """As a browser does: the login page (its session cookie and CSRF token), then the form."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)
    with browser.open(f"{base}/login", timeout=10) as page:
        token = CSRF.search(page.read().decode())
    assert token is not None
    form = urllib.parse.urlencode({"csrf": token.group(1), "email": email, "password": password}).encode()
    try:
        browser.open(f"{base}/login", data=form, timeout=10)
    except urllib.error.HTTPError as answer:
        return answer.code == 302 and answer.headers.get("Location") == "/inbox"
    return False


@pytest.mark.slow
def test_the_demo_sees_orders_imported_and_staff_added_with_no_database_option(tmp_path: Path) -> None:
    port = free_port()
    demo = subprocess.Popen([sys.executable, "-m", "bot", "demo", "--port", str(port)], cwd=tmp_path, env=clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert demo.stdout is not None
        database = wait_for_line(demo.stdout, r"^database: (.*)$").group(1)
        api_key = wait_for_line(demo.stdout, r"REST API key for this demo: (\S+)").group(1)
        wait_for_line(demo.stdout, r"login demo@haumai\.local / ")
        (tmp_path / "don-hang.csv").write_text("Mã đơn;Tên khách;SĐT\nDH777;Chị Mai;0987000777\n", encoding="utf-8")
        imported = haumai(tmp_path, "orders", "import", "don-hang.csv")
        added = haumai(tmp_path, "staff", "add", "mai@shop.vn", "--password-stdin", stdin=PASSWORD + "\n")
        assert imported.returncode == 0 and added.returncode == 0, imported.stderr + added.stderr
        assert f"database: {database}" in imported.stdout and f"database: {database}" in added.stdout
        base = f"http://127.0.0.1:{port}"
        assert get(f"{base}/api/v1/orders/DH777", api_key) == 200
        assert logs_in(base, "mai@shop.vn", PASSWORD)
    finally:
        demo.terminate()
        demo.wait(timeout=30)


@pytest.mark.slow
def test_a_restarted_demo_keeps_its_api_key_and_prints_the_staff_login_again(tmp_path: Path) -> None:
    printed = []
    for _ in range(2):
        demo = subprocess.Popen([sys.executable, "-m", "bot", "demo", "--port", str(free_port())], cwd=tmp_path,
                                env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert demo.stdout is not None
            key = wait_for_line(demo.stdout, r"REST API key for this demo: (\S+)").group(1)
            login = wait_for_line(demo.stdout, r"login (demo@haumai\.local / \S+)\)").group(1)
            printed.append((key, login))
        finally:
            demo.terminate()
            demo.wait(timeout=30)
    assert printed[0] == printed[1]
