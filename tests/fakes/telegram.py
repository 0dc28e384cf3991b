"""A local fake Telegram Bot API server speaking the real wire format.

The bot is pointed at it through HAUMAI_TELEGRAM_API_BASE; it answers getMe, sendMessage,
answerCallbackQuery and setWebhook like Telegram does, records every call, and can be told
to answer the next sendMessage calls with a 429, a 403, a 500 or a delay.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.server import FakeServer

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuv"
BOT = {"id": 123456, "is_bot": True, "first_name": "Haumai Test", "username": "haumai_test_bot"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    ok: bool = True  # False when the fake answered with a scripted error
    at: float = field(default_factory=time.monotonic)


class FakeTelegram(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []
        self._scripted: list[tuple[int, dict[str, Any], float]] = []
        self._ids = itertools.count(1000)

    # --- scripting -----------------------------------------------------------------
    def fail_next(self, status: int, description: str, *, retry_after: int | None = None, times: int = 1) -> None:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        self._scripted += [(status, body, 0.0)] * times

    def delay_next(self, seconds: float) -> None:
        self._scripted.append((200, {}, seconds))

    # --- what was received -----------------------------------------------------------
    def sent(self) -> list[dict[str, Any]]:
        """Messages Telegram accepted (scripted failures are not deliveries)."""
        return [c.params for c in self.calls if c.method == "sendMessage" and c.ok]

    def texts_to(self, chat_id: int) -> list[str]:
        return [p["text"] for p in self.sent() if int(p["chat_id"]) == chat_id]

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]

    # --- server ----------------------------------------------------------------------
    def routes(self, app: web.Application) -> None:
        app.router.add_route("POST", "/bot{token}/{method}", self._handle)
        self.file_routes(app, "/file/bot" + TOKEN + "/photos/{name}")  # getFile's file_path is photos/<file_id>

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method, params = request.match_info["method"], await _params(request)
        call = Call(method, params)
        self.calls.append(call)
        if method == "sendMessage" and self._scripted:
            status, body, delay = self._scripted.pop(0)
            await asyncio.sleep(delay)
            if status != 200:
                call.ok = False
                return web.json_response(body, status=status)
        return web.json_response({"ok": True, "result": self._result(method, params)})

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method == "getFile":
            data, _ = self.files[str(params["file_id"])]
            return {"file_id": params["file_id"], "file_unique_id": f"u{params['file_id']}", "file_size": len(data),
                    "file_path": f"photos/{params['file_id']}"}
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            return {
                "message_id": next(self._ids), "date": int(time.time()), "text": params.get("text", ""),
                "chat": {"id": chat_id, "type": "private"}, "from": BOT,
            }
        return True


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return dict(await request.json())
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        text = str(value)
        try:
            params[key] = json.loads(text) if text[:1] in "{[" else text
        except ValueError:
            params[key] = text
    return params


_update_ids = itertools.count(1)


def text_update(chat_id: int, text: str, *, update_id: int | None = None, first_name: str = "Lan") -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}
    return {
        "update_id": update_id if update_id is not None else next(_update_ids),
        "message": {
            "message_id": next(_update_ids), "date": int(time.time()), "text": text,
            "chat": {"id": chat_id, "type": "private", "first_name": first_name}, "from": user,
        },
    }


def contact_update(chat_id: int, phone: str, *, own: bool = True) -> dict[str, Any]:
    update = text_update(chat_id, "")
    del update["message"]["text"]
    update["message"]["contact"] = {
        "phone_number": phone, "first_name": "Lan", **({"user_id": chat_id} if own else {"user_id": 999}),
    }
    return update


def callback_update(chat_id: int, data: str) -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Lan", "language_code": "vi"}
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"cb{next(_update_ids)}", "from": user, "chat_instance": "1", "data": data,
            "message": {
                "message_id": next(_update_ids), "date": int(time.time()), "text": "…",
                "chat": {"id": chat_id, "type": "private"}, "from": BOT,
            },
        },
    }
