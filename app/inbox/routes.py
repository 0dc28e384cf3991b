"""Mounting the inbox on the app."""

from __future__ import annotations

from aiohttp import web

from app.inbox import live, views
from app.inbox.auth import setup_auth
from app.inbox.import_views import setup_import
from app.inbox.settings_views import setup_settings


def setup_inbox(app: web.Application) -> None:
    setup_auth(app)
    app.router.add_get("/login", views.login_page)
    app.router.add_post("/login", views.login)
    app.router.add_post("/logout", views.logout)
    app.router.add_get("/inbox", views.inbox)
    app.router.add_get("/inbox/stream", live.stream)
    app.router.add_get("/inbox/canned", views.canned_page)
    app.router.add_post("/inbox/canned", views.canned_edit)
    app.router.add_get("/inbox/c/{id}", views.conversation_page)
    app.router.add_post("/inbox/c/{id}/{action}", views.act)
    setup_settings(app)
    setup_import(app)  # issue 17: orders from a file, in the browser
