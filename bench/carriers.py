"""Carrier-webhook ingestion: events/s stored onto order timelines (SQLite by default).

    python -m bench.carriers [--database-url URL] [--count N]

`haumai serve` runs in its own process; this one creates orders through the REST API and
then posts GHTK webhooks (form-encoded, its real format) for them, 32 at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

from bench.server import free_port, start_haumai
from bench.webhook import API_KEY, reset_postgres

TOKEN = "bench-carrier-token"
STATUSES = ("3", "4", "5")


async def start(database_url: str, port: int) -> asyncio.subprocess.Process:
    return await start_haumai({
        "HAUMAI_DATABASE_URL": database_url, "HAUMAI_API_KEY": API_KEY, "HAUMAI_CARRIER_WEBHOOK_TOKEN": TOKEN,
        "HAUMAI_SECRET_KEY": "bench-secret-key-long-enough",
    }, port)


def webhook(order: int, status: str) -> bytes:
    return urlencode({"label_id": f"S1.A1.{order}", "partner_id": f"B{order}", "status_id": status,
                      "action_time": f"2026-11-24T0{STATUSES.index(status) + 1}:00:00+07:00"}).encode()


async def main(args: argparse.Namespace) -> None:
    database_url = args.database_url or f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    if database_url.startswith("postgresql"):
        await reset_postgres(database_url)
    port = free_port()
    server = await start(database_url, port)
    base, orders = f"http://127.0.0.1:{port}", args.count // len(STATUSES)
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as http:
            for n in range(orders):
                body = {"code": f"B{n}", "customer": {"name": "Bench"}, "carrier": "ghtk", "tracking_code": f"S1.A1.{n}"}
                await http.post(f"{base}/api/v1/orders", json=body, headers={"Authorization": f"Bearer {API_KEY}"})
            slots = asyncio.Semaphore(32)

            async def post(payload: bytes) -> None:
                async with slots, http.post(f"{base}/carriers/ghtk/webhook?token={TOKEN}", data=payload,
                                            headers={"Content-Type": "application/x-www-form-urlencoded"}) as response:
                    assert response.status == 200, response.status

            payloads = [webhook(n, status) for status in STATUSES for n in range(orders)]
            started = time.monotonic()
            await asyncio.gather(*(post(p) for p in payloads))
            elapsed = time.monotonic() - started
    finally:
        server.terminate()
        await server.wait()
    backend = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    print(f"carrier webhooks ({backend}): {len(payloads) / elapsed:,.0f} events/s ingested "
          f"({len(payloads)} GHTK events for {orders} orders, each applied to its timeline before the 200)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--count", type=int, default=3000)
    asyncio.run(main(parser.parse_args()))
