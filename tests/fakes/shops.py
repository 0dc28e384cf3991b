"""Local fake shop platforms answering their orders APIs in the real formats: Shopify's REST
`orders.json` (access token header, `updated_at_min`, `Link` pages) and WooCommerce's
`/wp-json/wc/v3/orders` (basic auth, `modified_after`, `X-WP-TotalPages`)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from aiohttp import web

from tests.fakes.server import FakeServer

SHOPIFY_TOKEN = "shpat_fake_token"
WOO_KEY, WOO_SECRET = "ck_fake", "cs_fake"


class FakeShop(FakeServer):
    """Holds the shop's orders; `failing` answers 503 to every call; `calls` records each query."""

    def __init__(self) -> None:
        super().__init__()
        self.orders: list[dict[str, Any]] = []
        self.failing = False
        self.calls: list[dict[str, str]] = []


class FakeShopify(FakeShop):
    page_size = 2  # small, so a catch-up crosses pages

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/admin/api/{version}/orders.json", self._orders)

    async def _orders(self, request: web.Request) -> web.Response:
        self.calls.append(dict(request.query))
        if request.headers.get("X-Shopify-Access-Token") != SHOPIFY_TOKEN:
            return web.json_response({"errors": "[API] Invalid API key or access token"}, status=401)
        if self.failing:
            return web.json_response({"errors": "Service unavailable"}, status=503)
        since = datetime.fromisoformat(request.query.get("updated_at_min", "2000-01-01T00:00:00+00:00"))
        found = sorted((o for o in self.orders if datetime.fromisoformat(o["updated_at"]) >= since),
                       key=lambda o: o["updated_at"])
        start = int(request.query.get("page_info", "0"))
        page = found[start:start + self.page_size]
        headers = {}
        if start + self.page_size < len(found):
            following = request.url.with_query({"limit": str(self.page_size), "page_info": str(start + self.page_size),
                                                "updated_at_min": since.isoformat()})
            headers["Link"] = f'<{following}>; rel="next"'
        return web.json_response({"orders": page}, headers=headers)


class FakeWooCommerce(FakeShop):
    def routes(self, app: web.Application) -> None:
        app.router.add_get("/wp-json/wc/v3/orders", self._orders)

    async def _orders(self, request: web.Request) -> web.Response:
        self.calls.append(dict(request.query))
        expected = "Basic " + base64.b64encode(f"{WOO_KEY}:{WOO_SECRET}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            return web.json_response({"code": "woocommerce_rest_cannot_view", "message": "Sorry, you cannot list resources."}, status=401)
        if self.failing:
            return web.json_response({"code": "internal_server_error"}, status=500)
        since = request.query.get("modified_after", "2000-01-01T00:00:00")
        found = sorted((o for o in self.orders if o["date_modified_gmt"] > since), key=lambda o: o["date_modified_gmt"])
        size, page = int(request.query.get("per_page", "10")), int(request.query.get("page", "1"))
        pages = max(1, -(-len(found) // size))
        return web.json_response(found[(page - 1) * size:page * size], headers={"X-WP-TotalPages": str(pages)})
