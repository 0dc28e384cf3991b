"""J&T Express Vietnam: form-encoded `bizContent` webhooks with `details[]` scans.

docs/carriers.md §5: both the published codes (103–121) and the codes real
traces use (10/50/92/94/100) are mapped; anything else falls back to the scan's text.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

import aiohttp

from carriers.base import MalformedWebhook, TrackingNotFound
from carriers.common import event_id, form_or_json, from_table, parse_time
from carriers.models import CanonicalStatus as S
from carriers.models import TrackingEvent

_GROUPS: list[tuple[tuple[str, ...], S | None, str | None]] = [
    (("103",), S.CREATED, None), (("104",), S.CREATED, "pickup_attempt_failed"), (("105",), S.CANCELLED, None),
    (("106", "10"), S.PICKED_UP, None), (("109", "110", "50", "92"), S.IN_TRANSIT, None),
    (("112", "94"), S.OUT_FOR_DELIVERY, None), (("118",), S.DELIVERY_FAILED, None),
    (("113", "100"), S.DELIVERED, None), (("116",), S.RETURNING, None), (("120",), S.RETURNING, "return_failed"),
    (("117",), S.RETURNED, None), (("121",), None, None),
]
STATUSES = {code: (status, detail) for codes, status, detail in _GROUPS for code in codes}


def map_status(raw: str, description: str = "") -> tuple[S | None, str | None]:
    return from_table("jnt", STATUSES, raw, description)


class JntCarrier:
    id = "jnt"
    can_pull = False  # the trace API needs a J&T customer account; webhooks carry every scan

    def verify_webhook(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> None:
        """J&T's digest on pushes is not confirmed (docs/carriers.md §1): the URL token is the check."""

    def parse_webhook(self, body: bytes, content_type: str, headers: Mapping[str, str]) -> list[TrackingEvent]:
        outer = form_or_json(body, content_type)
        content = outer.get("bizContent", outer)
        try:
            data = json.loads(content) if isinstance(content, str) else content
        except ValueError as failure:
            raise MalformedWebhook("bizContent is not JSON") from failure
        if not isinstance(data, dict) or not data.get("billCode") or not isinstance(data.get("details"), list):
            raise MalformedWebhook("J&T webhook needs bizContent.billCode and details[]")
        return [self._event(data, scan) for scan in data["details"] if isinstance(scan, dict)]

    def _event(self, data: dict[str, Any], scan: dict[str, Any]) -> TrackingEvent:
        raw, text = str(scan.get("scanTypeCode", "")), str(scan.get("scanTypeName") or scan.get("desc") or "")
        status, detail = map_status(raw, text)
        delivering = status == S.OUT_FOR_DELIVERY
        return TrackingEvent(
            carrier=self.id, tracking_code=str(data["billCode"]), order_code=data.get("txlogisticId") or None,
            status=status, detail=detail, raw_code=raw, occurred_at=parse_time(scan.get("scanTime"), "%Y-%m-%d %H:%M:%S"),
            provider_event_id=event_id(self.id, data["billCode"], raw, scan.get("scanTime")), description=text,
            location=scan.get("scanNetworkName") or None,
            shipper_name=(scan.get("staffName") or scan.get("scanByName")) if delivering else None,
            shipper_phone=(scan.get("staffContact") or scan.get("scanByContact")) if delivering else None,
        )

    def webhook_success_response(self) -> tuple[int, dict[str, object] | str]:
        return 200, {"code": "1", "msg": "success", "data": None}

    async def fetch(self, session: aiohttp.ClientSession, tracking_code: str) -> list[TrackingEvent]:
        raise TrackingNotFound("J&T tracking is pushed, not pulled, in this installation")
