"""Ninja Van Vietnam: JSON webhooks (v2 `status` strings and legacy v1), HMAC-signed.

docs/carriers.md §6. The only Vietnamese carrier that signs its webhooks:
`X-Ninjavan-Hmac-Sha256` = base64(HMAC-SHA256(raw body, client key)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any, Mapping

import aiohttp

from carriers.base import MalformedWebhook, TrackingNotFound, WebhookAuthError
from carriers.common import event_id, lenient_json, parse_time, unknown_code
from carriers.models import CanonicalStatus as S
from carriers.models import TrackingEvent

_GROUPS: list[tuple[tuple[str, ...], S | None, str | None]] = [
    (("pending pickup", "staging"), S.CREATED, None),
    (("driver dispatched for pickup", "van en-route to pickup"), S.CREATED, "pickup_in_progress"),
    (("pickup exception", "pickup fail"), S.CREATED, "pickup_attempt_failed"),
    (("pending pickup at distribution point",), S.CREATED, "drop_off"),
    (("picked up", "picked up, in transit to origin hub", "successful pickup", "en-route to sorting hub"), S.PICKED_UP, None),
    (("arrived at origin hub", "in transit to next sorting hub", "arrived at transit hub", "arrived at destination hub",
      "international transit", "arrived at sorting hub", "cross border transit", "customs cleared"), S.IN_TRANSIT, None),
    (("customs held",), S.IN_TRANSIT, "delivery_delayed"),
    (("on vehicle for delivery",), S.OUT_FOR_DELIVERY, None),
    (("at pudo", "arrived at distribution point"), S.OUT_FOR_DELIVERY, "awaiting_customer_pickup"),
    (("delivered", "delivered, received by customer", "delivered, left at doorstep", "delivered, collected by customer",
      "completed", "successful delivery", "delivery_success"), S.DELIVERED, None),
    (("delivery exception", "pending reschedule", "first attempt delivery fail"), S.DELIVERY_FAILED, None),
    (("return to sender triggered",), S.RETURNING, None), (("returned to sender",), S.RETURNED, None),
    (("return to shipper exception",), S.RETURNING, "return_failed"), (("cancelled",), S.CANCELLED, None),
    (("parcel measurements update", "parcel size", "parcel weight"), None, None),
]
STATUSES = {name: (status, detail) for names, status, detail in _GROUPS for name in names}
ON_RETURN_LEG = {S.IN_TRANSIT: S.RETURNING, S.OUT_FOR_DELIVERY: S.RETURNING, S.DELIVERED: S.RETURNED}


def map_status(raw: str, on_return_leg: bool = False) -> tuple[S | None, str | None]:
    key = raw.strip().lower()
    status, detail = STATUSES[key] if key in STATUSES else (unknown_code("ninjavan", raw, raw), None)
    if on_return_leg and status in ON_RETURN_LEG:
        return ON_RETURN_LEG[status], detail
    return status, detail


class NinjaVanCarrier:
    id = "ninjavan"
    can_pull = False  # no confirmed official pull API for shippers (docs/carriers.md §6)

    def __init__(self, client_key: str | None = None) -> None:
        self._key = client_key

    def verify_webhook(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> None:
        if not self._key:
            return
        expected = base64.b64encode(hmac.new(self._key.encode(), body, hashlib.sha256).digest()).decode()
        if not hmac.compare_digest(headers.get("X-Ninjavan-Hmac-Sha256", "").encode(), expected.encode()):
            raise WebhookAuthError("X-Ninjavan-Hmac-Sha256 does not match")

    def parse_webhook(self, body: bytes, content_type: str, headers: Mapping[str, str]) -> list[TrackingEvent]:
        data = lenient_json(body)
        if not isinstance(data, dict) or not data.get("tracking_id") or not (data.get("status") or data.get("event")):
            raise MalformedWebhook("Ninja Van webhook needs tracking_id and status")
        raw = str(data.get("status") or data.get("event"))
        status, detail = map_status(raw, bool(data.get("is_parcel_on_rts_leg")))
        return [TrackingEvent(
            carrier=self.id, tracking_code=str(data["tracking_id"]), status=status, detail=detail, raw_code=raw,
            order_code=data.get("shipper_order_ref_no") or None, occurred_at=parse_time(data.get("timestamp")),
            provider_event_id=event_id(self.id, data.get("id") or data["tracking_id"], raw, data.get("timestamp")),
            description=_reason(data),
        )]

    def webhook_success_response(self) -> tuple[int, dict[str, object] | str]:
        return 200, {"status": "ok"}

    async def fetch(self, session: aiohttp.ClientSession, tracking_code: str) -> list[TrackingEvent]:
        raise TrackingNotFound("Ninja Van tracking is pushed, not pulled")


def _reason(data: dict[str, Any]) -> str:
    exception = data.get("delivery_exception") or data.get("pickup_exception") or {}
    return str(exception.get("failure_reason") or data.get("comments") or "") if isinstance(exception, dict) else ""
