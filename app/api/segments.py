"""Customer segments with their repeat-purchase rate, churn and CLV, and the monthly cohorts."""

from __future__ import annotations

from aiohttp import web

from app.appkeys import CLOCK, RUNTIME, SESSIONS
from bot.segments import segment_report


async def get_segments(request: web.Request) -> web.Response:
    settings = request.app[RUNTIME].get().settings  # VIP spend and at-risk time as the shop set them now
    async with request.app[SESSIONS]() as session:
        return web.json_response(await segment_report(session, settings, request.app[CLOCK]()))
