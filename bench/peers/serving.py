"""What every peer process shares: its command line, /healthz, and running its aiohttp app."""

from __future__ import annotations

import argparse
from typing import Awaitable, Callable

from aiohttp import web

from bench.webhook import SECRET
from tests.fakes.telegram import TOKEN

__all__ = ["SECRET", "TOKEN", "FIXED_TEXT", "serve_peer", "from_telegram"]

FIXED_TEXT = "Shop đã nhận được tin nhắn của bạn."


def from_telegram(request: web.Request) -> bool:
    """The webhook secret Telegram sends, checked as every real bot checks it."""
    return request.headers.get("X-Telegram-Bot-Api-Secret-Token") == SECRET


async def _healthz(_: web.Request) -> web.Response:
    return web.Response(text="ok")


def serve_peer(build: Callable[[argparse.Namespace], Awaitable[web.Application]], description: str) -> None:
    """Parse `--port --api-base [--database-url]`, build the peer's app and serve it until SIGTERM."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-base", required=True, help="the (fake) Bot API, e.g. http://127.0.0.1:8081")
    parser.add_argument("--database-url", default="sqlite+aiosqlite:///peer.db")
    args = parser.parse_args()

    async def app() -> web.Application:
        built = await build(args)
        built.router.add_get("/healthz", _healthz)
        return built

    web.run_app(app(), host="127.0.0.1", port=args.port, print=None, access_log=None)
