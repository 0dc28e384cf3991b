"""The issue's yardsticks, measured on this machine with bench.webhook's own load and fake Bot API.

    python -m bench.reference

Issue 2 sets Haumai's targets beside two references measured on its 2-core machine: a bare
aiohttp handler (≈ 11,000 acks/s) and a bot answering every update with a fixed text, with no
storage and no NLU (≈ 1,100 replies/s). Machines here differ by 2–3× from session to session,
so this runs both references the way bench.webhook runs Haumai (server alone in a process,
same load generator, same fake Bot API) and Haumai's figures can be read against them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import AsyncIterator

import aiohttp
from aiohttp import web

from bench.server import free_port, wait_until_up
from bench.webhook import Load, load_options, replies_under_load
from tests.fakes.telegram import TOKEN, FakeTelegram

FIXED_TEXT = "Shop đã nhận được tin nhắn của bạn."


def reference_app(api_base: str | None) -> web.Application:
    """Acks every update; with an API base it also answers each one with FIXED_TEXT."""
    app = web.Application()
    pending: set[asyncio.Task[None]] = set()

    async def answer(http: aiohttp.ClientSession, chat_id: int) -> None:
        async with http.post(f"{api_base}/bot{TOKEN}/sendMessage", json={"chat_id": chat_id, "text": FIXED_TEXT}) as response:
            await response.read()

    async def receive(request: web.Request) -> web.Response:
        update = await request.json()
        if api_base is not None:
            task = asyncio.create_task(answer(request.app["http"], update["message"]["chat"]["id"]))
            pending.add(task)
            task.add_done_callback(pending.discard)
        return web.json_response({"ok": True})

    async def client(app: web.Application) -> AsyncIterator[None]:
        app["http"] = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))
        yield
        await app["http"].close()

    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.cleanup_ctx.append(client)
    app.router.add_post("/webhooks/telegram", receive)
    app.router.add_get("/healthz", healthz)
    return app


async def start_reference(api_base: str | None, port: int) -> asyncio.subprocess.Process:
    arguments = ["--serve", str(port)] + (["--api-base", api_base] if api_base else [])
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.reference", *arguments,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    return await wait_until_up(process, port)


async def measure(fake: FakeTelegram, api_base: str | None, args: argparse.Namespace) -> tuple[float, float, float, float]:
    port = free_port()
    server = await start_reference(api_base, port)
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=128)) as http:
            load = Load(http, f"http://127.0.0.1:{port}", fake)
            if api_base is None:
                return await load.acks(args.count), 0.0, 0.0, 0.0
            return await replies_under_load(load, args)
    finally:
        server.terminate()
        await server.wait()


async def main(args: argparse.Namespace) -> None:
    fake = FakeTelegram()
    api_base = await fake.start()
    try:
        bare, _, _, _ = await measure(fake, None, args)
        acks, replies, p50, p95 = await measure(fake, api_base, args)
    finally:
        await fake.close()
    print(f"bare aiohttp handler, acks/s:        {bare:8.0f}   (issue 2's machine: ≈ 11,000)")
    print(f"fixed-text bot, acks/s:              {acks:8.0f}")
    print(f"fixed-text bot, replies/s:           {replies:8.0f}   (issue 2's machine: ≈ 1,100)")
    print(f"fixed-text bot, reply latency at {args.rate}/s: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    parser = load_options(argparse.ArgumentParser(description=__doc__.split("\n")[0]))
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--api-base", help=argparse.SUPPRESS)
    parsed = parser.parse_args()
    if parsed.serve:
        web.run_app(reference_app(parsed.api_base), host="127.0.0.1", port=parsed.serve, print=None)
    else:
        asyncio.run(main(parsed))
