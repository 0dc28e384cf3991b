"""The shop's tab icon on every page (inbox, settings, web chat): browsers ask /favicon.ico anyway."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

ICON = Path(__file__).resolve().parent / "static" / "favicon.svg"


async def favicon(_request: web.Request) -> web.FileResponse:
    return web.FileResponse(ICON, headers={"Content-Type": "image/svg+xml", "Cache-Control": "max-age=86400"})


def setup_favicon(app: web.Application) -> None:
    app.router.add_get("/favicon.svg", favicon)
    app.router.add_get("/favicon.ico", favicon)
