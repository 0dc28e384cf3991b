"""A local fake Zalo: OA OpenAPI (cs and ZBS by user id), business API (ZBS by phone), OAuth v4.

Errors come as HTTP 200 + `{"error": -N}` like the real thing. The OAuth side is single use
like Zalo's: a refresh token works once and the old one dies, so a second refresh with it fails.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

from aiohttp import web

from tests.fakes.server import RecordingFake

APP_ID = "360846524940903967"
OA_SECRET = "zalo-oa-secret-key"
ACCESS_TOKEN = "zalo-access-token-xyz"
REFRESH_TOKEN = "zalo-refresh-token-0"
APP_SECRET = "zalo-app-secret"


class FakeZalo(RecordingFake[tuple[int, str]]):
    def __init__(self) -> None:
        super().__init__()
        self.access_tokens = {ACCESS_TOKEN}
        self.refresh_tokens = {REFRESH_TOKEN}
        self.refreshes: list[dict[str, str]] = []
        self.refresh_delay = 0.0
        self.refusing_refresh = False

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v3.0/oa/message/cs", self._cs)
        app.router.add_post("/v3.0/oa/message/template", self._cs)
        app.router.add_post("/message/template", self._cs)
        app.router.add_post("/v4/oa/access_token", self._oauth)
        self.file_routes(app)

    def templates(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests if r["ok"] and "template_id" in r["body"]]

    def fail_next(self, code: int, message: str) -> None:
        self._errors.append((code, message))

    def texts_to(self, user: str) -> list[str]:
        return [r["body"]["message"].get("text", "") for r in self.requests
                if r["ok"] and "message" in r["body"] and r["body"]["recipient"]["user_id"] == user]

    async def _cs(self, request: web.Request) -> web.Response:
        valid = request.headers.get("access_token") in self.access_tokens
        record = {"path": request.path, "body": await request.json(), "token": request.headers.get("access_token"),
                  "ok": valid and not self._errors}
        self.requests.append(record)
        if not valid:
            return web.json_response({"error": -216, "message": "Access token is invalid"})
        if self._errors:
            code, message = self._errors.pop(0)
            return web.json_response({"error": code, "message": message})
        ident = f"z{next(self._ids)}"
        data = {"msg_id": ident} if request.path == "/message/template" else {"message_id": ident}
        return web.json_response({"data": data, "error": 0, "message": "Success"})

    async def _oauth(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        self.refreshes.append({**form, "secret_key": request.headers.get("secret_key", "")})
        await asyncio.sleep(self.refresh_delay)
        token = str(form.get("refresh_token", ""))
        if self.refusing_refresh or request.headers.get("secret_key") != APP_SECRET or token not in self.refresh_tokens:
            return web.json_response({"error": -14014, "error_name": "Invalid refresh token", "message": "Invalid refresh token"})
        self.refresh_tokens.discard(token)  # single use
        number = len(self.refreshes)
        fresh_access, fresh_refresh = f"zalo-access-token-{number}", f"zalo-refresh-token-{number}"
        self.access_tokens.add(fresh_access)
        self.refresh_tokens.add(fresh_refresh)
        return web.json_response({"access_token": fresh_access, "refresh_token": fresh_refresh, "expires_in": "90000"})


def signed(event: dict[str, Any], secret: str = OA_SECRET) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(event, ensure_ascii=False).encode()
    mac = hashlib.sha256(f"{APP_ID}{raw.decode()}{event['timestamp']}{secret}".encode()).hexdigest()
    return raw, {"X-ZEvent-Signature": f"mac={mac}", "Content-Type": "application/json"}


def text_event(user: str, text: str, msg_id: str, timestamp: str = "1764000000000") -> dict[str, Any]:
    return {"app_id": APP_ID, "sender": {"id": user}, "user_id_by_app": "5521", "recipient": {"id": "3886"},
            "event_name": "user_send_text", "message": {"text": text, "msg_id": msg_id}, "timestamp": timestamp}
