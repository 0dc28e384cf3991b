"""A local fake Zalo OA OpenAPI: `/v3.0/oa/message/cs`, errors as HTTP 200 + `{"error": -N}`."""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any

from aiohttp import web

from tests.fakes.server import FakeServer

APP_ID = "360846524940903967"
OA_SECRET = "zalo-oa-secret-key"
ACCESS_TOKEN = "zalo-access-token-xyz"


class FakeZalo(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[dict[str, Any]] = []
        self._errors: list[tuple[int, str]] = []
        self._ids = itertools.count(1)

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v3.0/oa/message/cs", self._cs)

    def fail_next(self, code: int, message: str) -> None:
        self._errors.append((code, message))

    def texts_to(self, user: str) -> list[str]:
        return [r["body"]["message"].get("text", "") for r in self.requests if r["ok"] and r["body"]["recipient"]["user_id"] == user]

    async def _cs(self, request: web.Request) -> web.Response:
        record = {"body": await request.json(), "token": request.headers.get("access_token"), "ok": not self._errors}
        self.requests.append(record)
        if request.headers.get("access_token") != ACCESS_TOKEN:
            return web.json_response({"error": -216, "message": "Access token is invalid"})
        if self._errors:
            code, message = self._errors.pop(0)
            return web.json_response({"error": code, "message": message})
        user = record["body"]["recipient"]["user_id"]
        return web.json_response({"data": {"message_id": f"z{next(self._ids)}", "user_id": user}, "error": 0, "message": "Success"})


def signed(event: dict[str, Any], secret: str = OA_SECRET) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(event, ensure_ascii=False).encode()
    mac = hashlib.sha256(f"{APP_ID}{raw.decode()}{event['timestamp']}{secret}".encode()).hexdigest()
    return raw, {"X-ZEvent-Signature": f"mac={mac}", "Content-Type": "application/json"}


def text_event(user: str, text: str, msg_id: str, timestamp: str = "1764000000000") -> dict[str, Any]:
    return {"app_id": APP_ID, "sender": {"id": user}, "user_id_by_app": "5521", "recipient": {"id": "3886"},
            "event_name": "user_send_text", "message": {"text": text, "msg_id": msg_id}, "timestamp": timestamp}
