"""Local fake carrier APIs answering in their real formats (GHN order detail)."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from tests.fakes.server import FakeServer


class FakeGhn(FakeServer):
    """GHN's `POST /v2/shipping-order/detail`; scriptable: a status, 5xx, or a hang."""

    def __init__(self) -> None:
        super().__init__()
        self.status = "delivering"
        self.mode = "ok"  # ok | error | hang
        self.requests: list[dict[str, Any]] = []

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v2/shipping-order/detail", self._detail)

    async def _detail(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append({"body": body, "token": request.headers.get("Token")})
        if self.mode == "hang":
            await asyncio.sleep(10)
        if self.mode == "error":
            return web.json_response({"code": 500, "message": "Internal error"}, status=502)
        return web.json_response({"code": 200, "message": "Success", "data": {
            "order_code": body["order_code"], "client_order_code": "", "status": self.status,
            "leadtime": "2026-11-26T16:59:59Z", "updated_date": "2026-11-24T02:00:00Z",
            "log": [{"status": "picked", "updated_date": "2026-11-23T08:00:00Z"},
                    {"status": self.status, "updated_date": "2026-11-24T02:00:00Z"}],
        }})
