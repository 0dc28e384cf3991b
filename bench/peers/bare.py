"""The ceiling: a bare aiohttp handler that acks every update and does nothing else."""

from __future__ import annotations

import argparse

from aiohttp import web

from bench.peers.serving import serve_peer


async def build(_args: argparse.Namespace) -> web.Application:
    async def receive(request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/webhooks/telegram", receive)
    return app


if __name__ == "__main__":
    serve_peer(build, __doc__ or "")
