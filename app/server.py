"""Running the server: logging, migrations (before the loop starts), then the app."""

from __future__ import annotations

import logging

from aiohttp import web

from app.heap import settle
from app.log import configure_logging
from app.web import create_app
from bot.config import Settings
from bot.storage.migrate import upgrade

log = logging.getLogger("app.server")


def secret_values(settings: Settings) -> list[str]:
    return [
        value.get_secret_value()
        for value in settings.__dict__.values()
        if hasattr(value, "get_secret_value")
    ]


def prepare(settings: Settings) -> None:
    configure_logging(secret_values(settings))
    if settings.auto_migrate:
        upgrade(settings.database_url)


def serve(
    settings: Settings, *, host: str, port: int, app: web.Application | None = None, reuse_port: bool = False
) -> None:
    """One replica in this process; `reuse_port` when it is one of `haumai serve --workers N`."""
    prepare(settings)
    log.info("haumai listening", extra={"url": f"http://{host}:{port}", "worker": settings.worker})
    app = app or create_app(settings)
    app.on_startup.append(settle)
    web.run_app(app, host=host, port=port, print=None, access_log=None,
                reuse_port=reuse_port or None)
