"""Viettel Post: JSON webhooks `{"DATA": {…}, "TOKEN": …}`; no documented pull API.

docs/carriers.md §4. Both `LOCALION_CURRENTLY` (sic) and `LOCATION_CURRENTLY`
arrive; times are `dd/MM/yyyy HH:mm:ss` in Vietnam time; the courier's name and phone come
with status 500, which is what the "out for delivery" notice needs.
"""

from __future__ import annotations

import hmac
from typing import Any, Mapping

import aiohttp

from carriers.base import MalformedWebhook, TrackingNotFound, WebhookAuthError
from carriers.common import event_id, lenient_json, parse_time, unknown_code
from carriers.models import CanonicalStatus as S
from carriers.models import TrackingEvent
from carriers.payloads import ViettelPostEvent
from untrusted.documents import checked

_GROUPS: list[tuple[tuple[int, ...], S | None, str | None]] = [
    ((-100, 100, 102, 103), S.CREATED, None), ((-108, -109, -110), S.CREATED, "drop_off"),
    ((104,), S.CREATED, "pickup_in_progress"), ((105, 200), S.PICKED_UP, None),
    ((106,), S.CANCELLED, "recalled"), ((101, 107, 201, 503), S.CANCELLED, None), ((202, 570), None, None),
    ((300, 301, 302, 303, 310, 320, 400, 401, 402, 403, 509, 510), S.IN_TRANSIT, None),
    ((508, 550), S.IN_TRANSIT, "redelivery_scheduled"), ((500,), S.OUT_FOR_DELIVERY, None),
    ((506,), S.DELIVERY_FAILED, None), ((507,), S.DELIVERY_FAILED, "collect_at_post_office"),
    ((505,), S.DELIVERY_FAILED, "return_pending"), ((515, 502), S.RETURNING, None),
    ((504,), S.RETURNED, None), ((501,), S.DELIVERED, None),
]
STATUSES: dict[int, tuple[S | None, str | None]] = {code: (s, d) for codes, s, d in _GROUPS for code in codes}
LOCAL_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M")


def map_status(raw: int, description: str = "", returning: bool = False) -> tuple[S | None, str | None]:
    if raw not in STATUSES:
        return unknown_code("viettelpost", str(raw), description), None
    status, detail = STATUSES[raw]
    return (S.RETURNING, detail) if returning and status == S.IN_TRANSIT else (status, detail)


class ViettelPostCarrier:
    id = "viettelpost"
    can_pull = False  # no documented tracking endpoint: every webhook is kept instead

    def __init__(self, token: str | None = None) -> None:
        self._token = token

    def verify_webhook(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> None:
        """The secret given to Viettel Post comes back as body TOKEN or Authorization header."""
        if not self._token:
            return
        data = lenient_json(body)
        given = str((data.get("TOKEN") if isinstance(data, dict) else "") or headers.get("Authorization", ""))
        if not hmac.compare_digest(given.encode(), self._token.encode()):
            raise WebhookAuthError("Viettel Post TOKEN does not match")

    def parse_webhook(self, body: bytes, content_type: str, headers: Mapping[str, str]) -> list[TrackingEvent]:
        envelope = lenient_json(body)
        inner = envelope.get("DATA", envelope) if isinstance(envelope, dict) else envelope
        data = checked(ViettelPostEvent, inner, "Viettel Post webhook DATA")
        try:
            raw = int(str(data["ORDER_STATUS"]).strip())
        except ValueError as failure:
            raise MalformedWebhook("ORDER_STATUS is not a number") from failure
        status, detail = map_status(raw, str(data.get("STATUS_NAME", "")), _truthy(data.get("IS_RETURNING")))
        return [self._event(data, raw, status, detail)]

    def _event(self, data: dict[str, Any], raw: int, status: S | None, detail: str | None) -> TrackingEvent:
        code, when = str(data["ORDER_NUMBER"]), data.get("ORDER_STATUSDATE")
        return TrackingEvent(
            carrier=self.id, tracking_code=code, order_code=data.get("ORDER_REFERENCE") or None,
            status=status, detail=detail, raw_code=str(raw), occurred_at=parse_time(when, *LOCAL_FORMATS),
            provider_event_id=event_id(self.id, code, raw, when),
            description=str(data.get("STATUS_NAME") or data.get("NOTE") or ""),
            location=data.get("LOCATION_CURRENTLY") or data.get("LOCALION_CURRENTLY") or None,
            shipper_name=data.get("EMPLOYEE_NAME") or None, shipper_phone=data.get("EMPLOYEE_PHONE") or None,
            awaiting_shop_decision=raw == 505,
        )

    def webhook_success_response(self) -> tuple[int, dict[str, object] | str]:
        return 200, {"status": 200, "error": False, "message": "OK"}

    async def fetch(self, session: aiohttp.ClientSession, tracking_code: str) -> list[TrackingEvent]:
        raise TrackingNotFound("Viettel Post has no tracking API; its webhooks are the record")


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes")
