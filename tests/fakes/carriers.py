"""Local fake carrier tracking APIs answering in the carriers' real formats (GHN, GHTK).

Only carriers whose `fetch` calls an HTTP API have a fake. Viettel Post has no documented
tracking endpoint, and J&T, Ninja Van, VNPost and Ahamove are tracked from their webhooks,
so their `fetch` never reaches the network.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.fakes.server import FakeServer

PAYLOADS = Path(__file__).resolve().parent.parent / "payloads" / "carriers"
HANG_SECONDS = 10  # longer than any client timeout, so a hanging fake always times the client out
# GHTK's `status_text` for the statuses its status API reports (docs/carriers.md §3).
GHTK_STATUS_TEXT = {
    "-1": "Hủy đơn hàng", "1": "Chưa tiếp nhận", "2": "Đã tiếp nhận", "3": "Đã lấy hàng/Đã nhập kho",
    "4": "Đã điều phối giao hàng/Đang giao hàng", "5": "Đã giao hàng/Chưa đối soát", "6": "Đã đối soát",
    "7": "Không lấy được hàng", "8": "Hoãn lấy hàng", "9": "Không giao được hàng", "10": "Delay giao hàng",
    "11": "Đã đối soát công nợ trả hàng", "12": "Đã điều phối lấy hàng/Đang lấy hàng", "13": "Đơn hàng bồi hoàn",
    "20": "Đang trả hàng (COD cầm hàng đi trả)", "21": "Đã trả hàng (COD đã trả xong hàng)",
}


def tracking_payload(name: str) -> dict[str, Any]:
    """A recorded tracking answer, read afresh so a fake can edit it per request."""
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


class FakeCarrier(FakeServer):
    """One carrier's tracking endpoint: records every call and misbehaves on cue.

    Scripted through `status` (the carrier's own code to report), `mode` (ok | error: a
    5xx | hang: no answer within any client timeout | garbled: the order without the
    carrier's success marker) and `unknown` (codes the carrier
    answers "not found" for). Subclasses give the endpoint and the carrier's formats.
    """

    method = "GET"
    path = ""
    status: str | int = ""

    def __init__(self) -> None:
        super().__init__()
        self.mode = "ok"
        self.unknown: set[str] = set()
        self.requests: list[dict[str, Any]] = []

    def routes(self, app: web.Application) -> None:
        app.router.add_route(self.method, self.path, self._track)

    async def _track(self, request: web.Request) -> web.Response:
        body = await request.json() if request.body_exists else None
        code = self.tracking_code(request, body)
        self.requests.append({"code": code, "body": body, "headers": request.headers.copy()})
        if self.mode == "hang":
            await asyncio.sleep(HANG_SECONDS)
        if self.mode == "error":
            return web.Response(status=502, text="502 Bad Gateway")
        if self.mode == "garbled":
            return web.json_response(self.garbled(code))
        return self.not_found(code) if code in self.unknown else web.json_response(self.found(code))

    def tracking_code(self, request: web.Request, body: Any) -> str:
        raise NotImplementedError

    def found(self, code: str) -> dict[str, Any]:
        raise NotImplementedError

    def garbled(self, code: str) -> dict[str, Any]:
        raise NotImplementedError

    def not_found(self, code: str) -> web.Response:
        raise NotImplementedError


class FakeGhn(FakeCarrier):
    """GHN's `POST /v2/shipping-order/detail`: the order with its log, the last entry current."""

    method = "POST"
    path = "/v2/shipping-order/detail"
    status = "delivering"

    def tracking_code(self, request: web.Request, body: Any) -> str:
        return str(body["order_code"])

    def found(self, code: str) -> dict[str, Any]:
        reply = tracking_payload("ghn_tracking.json")
        data = reply["data"]
        data["order_code"] = code
        data["status"] = data["log"][-1]["status"] = self.status
        return reply

    def garbled(self, code: str) -> dict[str, Any]:
        return {**self.found(code), "code": 500}

    def not_found(self, code: str) -> web.Response:
        return web.json_response({"code": 400, "message": "Order not found", "data": None}, status=400)


class FakeGhtk(FakeCarrier):
    """GHTK's `GET /services/shipment/v2/{label_id}`: one order with its current status only."""

    path = "/services/shipment/v2/{code}"
    status = 4  # a real answer has an int here, GHTK's own example a string: both occur

    def tracking_code(self, request: web.Request, body: Any) -> str:
        return request.match_info["code"]

    def found(self, code: str) -> dict[str, Any]:
        reply = tracking_payload("ghtk_tracking.json")
        order = reply["order"]
        order["label_id"], order["status"] = code, self.status
        order["status_text"] = GHTK_STATUS_TEXT.get(str(self.status), "")
        return reply

    def garbled(self, code: str) -> dict[str, Any]:
        return {key: value for key, value in self.found(code).items() if key != "success"}

    def not_found(self, code: str) -> web.Response:
        return web.json_response({"success": False, "message": f"Không tìm thấy đơn hàng {code}"})
