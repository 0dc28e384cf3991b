"""A local fake Graph API (Messenger Send API) that records requests and scripts errors."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from aiohttp import web

from tests.fakes.server import RecordingFake

APP_SECRET = "graph-app-secret"
PAGE_TOKEN = "graph-page-token-abcdef"
VERIFY_TOKEN = "graph-verify-token"


class FakeGraph(RecordingFake[tuple[int, dict[str, Any]]]):
    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v23.0/me/messages", self._send)
        self.file_routes(app)

    def fail_next(self, status: int, code: int, subcode: int | None = None, message: str = "error") -> None:
        error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "X"}
        if subcode is not None:
            error["error_subcode"] = subcode
        self._errors.append((status, {"error": error}))

    def texts_to(self, psid: str) -> list[str]:
        return [r["body"]["message"]["text"] for r in self.requests
                if r["ok"] and "text" in r["body"]["message"] and r["body"]["recipient"]["id"] == psid]

    def templates(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests if r["ok"] and "template" in r["body"]["message"]]

    async def _send(self, request: web.Request) -> web.Response:
        record = {"body": await request.json(), "authorization": request.headers.get("Authorization"),
                  "query": dict(request.query), "ok": not self._errors}
        self.requests.append(record)
        if self._errors:
            status, body = self._errors.pop(0)
            return web.json_response(body, status=status)
        return web.json_response({"recipient_id": record["body"]["recipient"]["id"], "message_id": f"m_{next(self._ids)}"})


def signed(payload: dict[str, Any], secret: str = APP_SECRET) -> tuple[bytes, dict[str, str]]:
    """Meta's wire form: non-ASCII escaped as \\uXXXX, signed over exactly those bytes."""
    raw = json.dumps(payload, ensure_ascii=True).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"X-Hub-Signature-256": signature, "Content-Type": "application/json"}


def text_event(psid: str, text: str, mid: str, timestamp: int = 1764000000000) -> dict[str, Any]:
    return {"object": "page", "entry": [{"id": "PAGE", "time": timestamp, "messaging": [
        {"sender": {"id": psid}, "recipient": {"id": "PAGE"}, "timestamp": timestamp, "message": {"mid": mid, "text": text}}]}]}
