"""GHTK (Giao Hàng Tiết Kiệm): form-encoded webhooks with `status_id`, and the v2 status API.

docs/carriers.md §3. Numbers arrive as strings; shipper-reported codes (45,
49, 123, 127, 128, 410) appear only in webhooks; 45 then 5 is one "delivered".
"""

from __future__ import annotations

from typing import Mapping
from urllib.parse import quote

import aiohttp

from carriers.base import MalformedWebhook, TrackingNotFound
from carriers.common import event_id, form_or_json, from_table, get_json, parse_time, unexpected_answer
from carriers.models import CanonicalStatus as S
from carriers.models import TrackingEvent
from carriers.payloads import GhtkWebhook
from untrusted.documents import checked

STATUSES: dict[str, tuple[S | None, str | None]] = {
    "-1": (S.CANCELLED, None), "1": (S.CREATED, None), "2": (S.CREATED, None),
    "12": (S.CREATED, "pickup_in_progress"), "8": (S.CREATED, "pickup_delayed"),
    "128": (S.CREATED, "pickup_delayed"), "127": (S.CREATED, "pickup_attempt_failed"),
    "7": (S.EXCEPTION, "pickup_failed"), "123": (S.PICKED_UP, "provisional"), "3": (S.PICKED_UP, None),
    "4": (S.OUT_FOR_DELIVERY, None), "45": (S.DELIVERED, "provisional"), "5": (S.DELIVERED, None),
    "6": (S.DELIVERED, "cod_reconciled"), "49": (S.DELIVERY_FAILED, None), "9": (S.DELIVERY_FAILED, None),
    "410": (S.DELIVERY_FAILED, "delivery_delayed"), "10": (S.DELIVERY_FAILED, "delivery_delayed"),
    "20": (S.RETURNING, None), "21": (S.RETURNED, None), "11": (S.RETURNED, None),
    "13": (S.EXCEPTION, "compensated"),
}
LOCAL_FORMATS = ("%Y-%m-%d %H:%M:%S",)


def map_status(raw: str, description: str = "") -> tuple[S | None, str | None]:
    return from_table("ghtk", STATUSES, raw, description)


class GhtkCarrier:
    id = "ghtk"

    def __init__(
        self, token: str | None = None, api_base: str = "https://services.giaohangtietkiem.vn", partner_code: str | None = None,
    ) -> None:
        self._token, self._api_base = token, api_base.rstrip("/")
        self._headers = {"Token": token or "", **({"X-Client-Source": partner_code} if partner_code else {})}
        self.can_pull = bool(token)

    def verify_webhook(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> None:
        """GHTK's only scheme is a secret in our own URL: the shared token covers it."""

    def parse_webhook(self, body: bytes, content_type: str, headers: Mapping[str, str]) -> list[TrackingEvent]:
        data = checked(GhtkWebhook, form_or_json(body, content_type), "GHTK webhook")
        code = str(data.get("label_id") or "").strip()
        raw = str(data.get("status_id", "")).strip()
        if not code or not raw:
            raise MalformedWebhook("GHTK webhook needs label_id and status_id")
        status, detail = map_status(raw, str(data.get("reason", "")))
        if raw == "5" and str(data.get("return_part_package", "0")) == "1":
            detail = "partial"
        return [TrackingEvent(
            carrier=self.id, tracking_code=code, order_code=str(data.get("partner_id") or "") or None,
            status=status, detail=detail, raw_code=raw, occurred_at=parse_time(data.get("action_time"), *LOCAL_FORMATS),
            provider_event_id=event_id(self.id, code, raw, data.get("action_time")),
            description=str(data.get("reason") or ""), location=_station(data),
        )]

    def webhook_success_response(self) -> tuple[int, dict[str, object] | str]:
        return 200, {"success": True}

    async def fetch(self, session: aiohttp.ClientSession, tracking_code: str) -> list[TrackingEvent]:
        url = f"{self._api_base}/services/shipment/v2/{quote(tracking_code, safe='')}"
        reply = await get_json(session, "GET", url, headers=self._headers)
        if not isinstance(reply, dict) or not reply.get("success"):
            if isinstance(reply, dict) and reply.get("success") is False:
                raise TrackingNotFound(str(reply.get("message")))
            raise unexpected_answer("GHTK", reply)
        order = reply.get("order") or {}
        raw = str(order.get("status", ""))
        status, detail = map_status(raw, str(order.get("status_text", "")))
        when = order.get("modified") or order.get("created")
        return [TrackingEvent(
            carrier=self.id, tracking_code=str(order.get("label_id") or tracking_code),
            order_code=order.get("partner_id") or None, status=status, detail=detail, raw_code=raw,
            occurred_at=parse_time(when, *LOCAL_FORMATS), provider_event_id=event_id(self.id, tracking_code, raw, when),
            description=str(order.get("status_text") or ""),
        )]


def _station(data: dict[str, object]) -> str | None:
    parts = [str(data[k]) for k in ("cur_station.address_l0", "cur_station.address_l1") if data.get(k)]
    return ", ".join(parts) or None
