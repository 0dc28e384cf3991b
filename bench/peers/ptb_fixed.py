"""python-telegram-bot 22 answering every text with a fixed text, behind an aiohttp webhook
(PTB's documented "custom webhook" setup: the server puts updates on the application's queue)."""

from __future__ import annotations

import argparse
from typing import AsyncIterator

from aiohttp import web
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bench.peers.serving import FIXED_TEXT, TOKEN, from_telegram, serve_peer


async def answer(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(FIXED_TEXT, do_quote=False)


async def build(args: argparse.Namespace) -> web.Application:
    bot = Application.builder().token(TOKEN).base_url(f"{args.api_base}/bot").updater(None).build()
    bot.add_handler(MessageHandler(filters.TEXT, answer))

    async def receive(request: web.Request) -> web.Response:
        if not from_telegram(request):
            return web.Response(status=403)
        await bot.update_queue.put(Update.de_json(await request.json(), bot.bot))
        return web.Response()

    async def running(_: web.Application) -> AsyncIterator[None]:
        async with bot:
            await bot.start()
            yield
            await bot.stop()

    app = web.Application()
    app.cleanup_ctx.append(running)
    app.router.add_post("/webhooks/telegram", receive)
    return app


if __name__ == "__main__":
    serve_peer(build, __doc__ or "")
