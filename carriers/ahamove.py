"""Ahamove (on-demand): the webhook body is the whole order; `COMPLETED` is not "delivered".

docs/carriers.md §8: the delivery outcome is the drop-off stop's own status
(`path[i>0].status`), and returns show in `sub_status`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Mapping

import aiohttp

from carriers.base import MalformedWebhook, TrackingNotFound
from carriers.common import event_id, lenient_json, unknown_code
from carriers.models import CanonicalStatus as S
from carriers.models import TrackingEvent

STATUSES: dict[str, tuple[S | None, str | None]] = {
    "IDLE": (S.CREATED, None), "ASSIGNING": (S.CREATED, None), "CONFIRMING": (S.CREATED, None),
    "PAYING": (S.CREATED, None), "ACCEPTED": (S.CREATED, "pickup_in_progress"), "PICKED_UP": (S.PICKED_UP, None),
    "TRANSPORTING": (S.IN_TRANSIT, None), "IN PROCESS": (S.OUT_FOR_DELIVERY, None),
    "FAILED_1": (S.DELIVERY_FAILED, None), "FAILED_2": (S.DELIVERY_FAILED, None), "FAILED_3": (S.DELIVERY_FAILED, None),
    "IN_RETURN": (S.RETURNING, None), "RETURNED": (S.RETURNED, None), "RETURN_FAILED": (S.EXCEPTION, "return_failed"),
    "CANCELLED": (S.CANCELLED, None),
}


def map_order(order: dict[str, Any]) -> tuple[S | None, str | None, str]:
    """(status, detail, raw) from the order's status, sub_status and its stops."""
    status, sub = str(order.get("status", "")).upper(), str(order.get("sub_status") or "").upper()
    if sub in ("IN_RETURN", "RETURNED"):
        return (*STATUSES[sub], f"{status}/{sub}")
    if status == "ACCEPTED" and sub == "BOARDED":
        return S.PICKED_UP, None, f"{status}/{sub}"
    if status == "COMPLETED":
        stops = [p for p in (order.get("path") or [])[1:] if isinstance(p, dict)]
        failed = any(str(p.get("status", "")).upper() == "FAILED" for p in stops)
        return (S.DELIVERY_FAILED if failed else S.DELIVERED), None, status
    if status in STATUSES:
        return (*STATUSES[status], status)
    return unknown_code("ahamove", status, ""), None, status


class AhamoveCarrier:
    id = "ahamove"
    can_pull = False

    def verify_webhook(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> None:
        """Ahamove sends the auth header the partner chose; the shared URL token covers it."""

    def parse_webhook(self, body: bytes, content_type: str, headers: Mapping[str, str]) -> list[TrackingEvent]:
        order = lenient_json(body)
        if not isinstance(order, dict) or not order.get("_id") or not order.get("status"):
            raise MalformedWebhook("Ahamove webhook needs _id and status")
        status, detail, raw = map_order(order)
        stamp = order.get("update_time") or order.get("accept_time") or order.get("create_time")
        when = datetime.fromtimestamp(float(stamp), timezone.utc) if stamp else datetime.now(timezone.utc)
        return [TrackingEvent(
            carrier=self.id, tracking_code=str(order["_id"]), status=status, detail=detail, raw_code=raw,
            occurred_at=when, provider_event_id=event_id(self.id, order["_id"], raw, stamp),
            description=str(order.get("cancel_comment") or ""),
            shipper_name=order.get("supplier_name") or None, shipper_phone=order.get("supplier_id") or None,
        )]

    def webhook_success_response(self) -> tuple[int, dict[str, object] | str]:
        return 200, {"status": "ok"}

    async def fetch(self, session: aiohttp.ClientSession, tracking_code: str) -> list[TrackingEvent]:
        raise TrackingNotFound("Ahamove orders are tracked from their webhooks")
