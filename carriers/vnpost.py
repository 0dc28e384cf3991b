"""VNPost (MyVNPost): webhook envelope `{"Data": "<JSON string>", "SendDate", "SignData"}`.

docs/carriers.md §7. `SignData` is an RSA signature whose public key VNPost
hands out per partner, so the shared URL token is the check here. 110 (COD collected)
counts as delivered: VNPost may send nothing else for a delivered COD order.
"""

from __future__ import annotations

import json
from typing import Mapping

import aiohttp

from carriers.base import MalformedWebhook, TrackingNotFound
from carriers.common import event_id, from_table, lenient_json, parse_time
from carriers.models import CanonicalStatus as S
from carriers.models import TrackingEvent

STATUSES: dict[str, tuple[S | None, str | None]] = {
    "20": (S.CREATED, None), "61": (None, "cancel_requested"), "10": (S.CANCELLED, None), "60": (S.CANCELLED, None),
    "62": (S.CANCELLED, None), "70": (S.PICKED_UP, None), "91": (S.DELIVERY_FAILED, None), "100": (S.DELIVERED, None),
    "110": (S.DELIVERED, "cod_collected"), "120": (S.DELIVERED, "cod_reconciled"),
    "161": (S.RETURNING, "return_failed"), "170": (S.RETURNED, None),
}


def map_status(raw: str, description: str = "") -> tuple[S | None, str | None]:
    return from_table("vnpost", STATUSES, raw, description)


class VnpostCarrier:
    id = "vnpost"
    can_pull = False

    def verify_webhook(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> None:
        """RSA SignData needs VNPost's per-partner key; the shared URL token is checked instead."""

    def parse_webhook(self, body: bytes, content_type: str, headers: Mapping[str, str]) -> list[TrackingEvent]:
        envelope = lenient_json(body)
        inner = envelope.get("Data", envelope) if isinstance(envelope, dict) else None
        try:
            data = json.loads(inner) if isinstance(inner, str) else inner
        except ValueError as failure:
            raise MalformedWebhook("Data is not JSON") from failure
        if not isinstance(data, dict) or not data.get("ItemCode") or data.get("OrderStatusId") is None:
            raise MalformedWebhook("VNPost webhook needs Data.ItemCode and Data.OrderStatusId")
        raw, cause = str(data["OrderStatusId"]), str(data.get("CauseName") or data.get("DeliveryNote") or "")
        status, detail = map_status(raw, cause)
        when = data.get("LastUpdateTime")
        return [TrackingEvent(
            carrier=self.id, tracking_code=str(data["ItemCode"]), order_code=data.get("OrderCode") or None,
            status=status, detail=detail, raw_code=raw, occurred_at=parse_time(when, "%d/%m/%Y %H:%M:%S"),
            provider_event_id=event_id(self.id, data["ItemCode"], raw, when), description=cause,
        )]

    def webhook_success_response(self) -> tuple[int, dict[str, object] | str]:
        return 200, {"Code": "00", "Message": "OK"}

    async def fetch(self, session: aiohttp.ClientSession, tracking_code: str) -> list[TrackingEvent]:
        raise TrackingNotFound("VNPost tracking is pushed, not pulled")
