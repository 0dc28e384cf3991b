"""GHN (Giao Hàng Nhanh): webhook `Status` strings and the order-detail pull API.

docs/carriers.md §2. GHN does not sign webhooks, and its official example is
not even valid JSON, so parsing is lenient and terminal statuses are re-fetched upstream.
"""

from __future__ import annotations

from typing import Any, Mapping

import aiohttp

from carriers.base import TrackingNotFound
from carriers.common import event_id, from_table, get_json, lenient_json, parse_time, unexpected_answer
from carriers.models import CanonicalStatus as S
from carriers.models import TrackingEvent
from carriers.payloads import GhnWebhook
from untrusted.documents import checked

STATUSES: dict[str, tuple[S, str | None]] = {
    "draft": (S.CREATED, None), "ready_to_pick": (S.CREATED, None),
    "picking": (S.CREATED, "pickup_in_progress"), "money_collect_picking": (S.CREATED, "pickup_in_progress"),
    "picked": (S.PICKED_UP, None), "storing": (S.IN_TRANSIT, None), "transporting": (S.IN_TRANSIT, None),
    "sorting": (S.IN_TRANSIT, None), "delivering": (S.OUT_FOR_DELIVERY, None),
    "money_collect_delivering": (S.OUT_FOR_DELIVERY, None), "delivered": (S.DELIVERED, None),
    "delivery_fail": (S.DELIVERY_FAILED, None), "waiting_to_return": (S.DELIVERY_FAILED, "return_pending"),
    "return": (S.RETURNING, None), "return_transporting": (S.RETURNING, None),
    "return_sorting": (S.RETURNING, None), "returning": (S.RETURNING, None),
    "return_fail": (S.RETURNING, "return_failed"), "returned": (S.RETURNED, None),
    "cancel": (S.CANCELLED, None), "exception": (S.EXCEPTION, None), "lost": (S.EXCEPTION, "lost"),
    "damage": (S.EXCEPTION, "damaged"),
}
STATE_TYPES = {"create", "switch_status"}  # update_weight / update_cod / update_fee are info


def map_status(raw: str, description: str = "") -> tuple[S | None, str | None]:
    return from_table("ghn", STATUSES, raw, description)


class GhnCarrier:
    id = "ghn"

    def __init__(self, token: str | None = None, shop_id: str | None = None,
                 api_base: str = "https://online-gateway.ghn.vn/shiip/public-api") -> None:
        self._token, self._shop_id, self._api_base = token, shop_id, api_base.rstrip("/")
        self.can_pull = bool(token)

    def verify_webhook(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> None:
        """GHN has no scheme of its own: the shared URL token is all there is."""

    def parse_webhook(self, body: bytes, content_type: str, headers: Mapping[str, str]) -> list[TrackingEvent]:
        data = checked(GhnWebhook, lenient_json(body), "GHN webhook")
        info = str(data.get("Type", "switch_status")).lower() not in STATE_TYPES
        raw = str(data.get("Status", ""))
        status, detail = (None, None) if info else map_status(raw, str(data.get("Description", "")))
        return [TrackingEvent(
            carrier=self.id, tracking_code=str(data["OrderCode"]), order_code=data.get("ClientOrderCode") or None,
            status=status, detail=detail, raw_code=raw, occurred_at=parse_time(data.get("Time")),
            provider_event_id=event_id(self.id, data["OrderCode"], data.get("Type"), raw, data.get("Time")),
            description=str(data.get("Description") or data.get("Reason") or ""),
            location=data.get("Warehouse") or None, awaiting_shop_decision=raw == "waiting_to_return",
        )]

    def webhook_success_response(self) -> tuple[int, dict[str, object] | str]:
        return 200, {"code": 200, "message": "Success"}

    async def fetch(self, session: aiohttp.ClientSession, tracking_code: str) -> list[TrackingEvent]:
        reply = await get_json(
            session, "POST", f"{self._api_base}/v2/shipping-order/detail", json={"order_code": tracking_code},
            headers={"Token": self._token or "", **({"ShopId": self._shop_id} if self._shop_id else {})},
        )
        if not isinstance(reply, dict) or reply.get("code") != 200:
            if isinstance(reply, dict) and reply.get("code") in (400, 404):
                raise TrackingNotFound(str(reply.get("message")))
            raise unexpected_answer("GHN", reply)
        return [self._from_log(tracking_code, entry, reply["data"]) for entry in _journey(reply["data"])]

    def _from_log(self, code: str, entry: dict[str, Any], data: dict[str, Any]) -> TrackingEvent:
        status, detail = map_status(str(entry.get("status", "")))
        leadtime = data.get("leadtime")
        return TrackingEvent(
            carrier=self.id, tracking_code=code, order_code=data.get("client_order_code") or None,
            status=status, detail=detail, raw_code=str(entry.get("status")),
            occurred_at=parse_time(entry.get("updated_date")),
            provider_event_id=event_id(self.id, code, "switch_status", entry.get("status"), entry.get("updated_date")),
            eta=parse_time(leadtime).date() if leadtime else None,
            awaiting_shop_decision=entry.get("status") == "waiting_to_return",
        )


def _journey(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The log, plus the current status when the log does not end with it."""
    log = [e for e in data.get("log") or [] if isinstance(e, dict)]
    if not log or log[-1].get("status") != data.get("status"):
        log.append({"status": data.get("status"), "updated_date": data.get("updated_date")})
    return log
