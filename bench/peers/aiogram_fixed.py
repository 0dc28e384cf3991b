"""aiogram 3 answering every text with a fixed text: no storage, no NLU (the issue's yardstick)."""

from __future__ import annotations

import argparse
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bench.peers.serving import FIXED_TEXT, SECRET, TOKEN, serve_peer


def webhook_app(api_base: str, dispatcher: Any) -> web.Application:
    """aiogram's own webhook handler (acks at once, handles in the background), as its docs set it up."""
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api_base)))
    app = web.Application()
    SimpleRequestHandler(dispatcher=dispatcher, bot=bot, secret_token=SECRET).register(app, path="/webhooks/telegram")

    async def close(_: web.Application) -> None:
        await bot.session.close()

    app.on_cleanup.append(close)
    return app


async def answer(message: Any) -> None:
    await message.answer(FIXED_TEXT)


async def build(args: argparse.Namespace) -> web.Application:
    dispatcher = Dispatcher()
    dispatcher.message.register(answer)
    return webhook_app(args.api_base, dispatcher)


if __name__ == "__main__":
    serve_peer(build, __doc__ or "")
