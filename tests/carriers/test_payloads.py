"""Webhook bodies in each carrier's real (and sloppy) format are read leniently."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from carriers.base import WebhookAuthError
from carriers.ahamove import AhamoveCarrier
from carriers.ghn import GhnCarrier
from carriers.ghtk import GhtkCarrier
from carriers.jnt import JntCarrier
from carriers.ninjavan import NinjaVanCarrier
from carriers.viettelpost import ViettelPostCarrier
from untrusted.refused import Refused
from carriers.vnpost import VnpostCarrier

PAYLOADS = Path(__file__).resolve().parent.parent / "payloads" / "carriers"


def body(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def test_ghns_own_invalid_json_example_is_read() -> None:
    [event] = GhnCarrier().parse_webhook(body("ghn_webhook_invalid_example.json"), "application/json", {})
    assert (event.tracking_code, event.order_code, event.status) == ("GAN6D8A9", "HM3001", "out_for_delivery")
    assert event.occurred_at == datetime(2021, 11, 11, 3, 52, 50, 158000, tzinfo=timezone.utc)
    assert event.location == "Bưu Cục 229 Quan Nhân-Q.Thanh Xuân-HN"


def test_ghn_fee_updates_are_info_events() -> None:
    raw = b'{"OrderCode": "GAN6D8A9", "Type": "update_fee", "Status": "storing", "Time": "2021-11-11T03:52:50Z"}'
    assert GhnCarrier().parse_webhook(raw, "application/json", {})[0].status is None


def test_ghtk_form_encoded_webhook_with_numbers_as_strings_is_read() -> None:
    [event] = GhtkCarrier().parse_webhook(body("ghtk_webhook_form.txt"), "application/x-www-form-urlencoded", {})
    assert (event.tracking_code, event.order_code, event.status, event.detail) == ("S1.A1.17373471", "HM3002", "delivered", "provisional")
    assert event.occurred_at.isoformat() == "2026-11-24T09:18:39+07:00"
    assert event.occurred_at.utcoffset() == timedelta(hours=7)


def test_viettelpost_webhook_carries_courier_and_the_misspelt_location() -> None:
    [event] = ViettelPostCarrier().parse_webhook(body("viettelpost_webhook.json"), "application/json", {})
    assert (event.status, event.shipper_name, event.shipper_phone) == ("out_for_delivery", "Nguyễn Văn Bình", "0912000111")
    assert event.location == "Bưu cục Cầu Giấy, Hà Nội"
    assert event.occurred_at.isoformat() == "2026-11-24T09:15:00+07:00"


def test_viettelpost_token_must_match_when_configured() -> None:
    carrier = ViettelPostCarrier("other-secret")
    with pytest.raises(WebhookAuthError):
        carrier.verify_webhook({}, {}, body("viettelpost_webhook.json"))
    ViettelPostCarrier("vtp-secret").verify_webhook({}, {}, body("viettelpost_webhook.json"))


@pytest.mark.parametrize("raw", [b"", b"not json", b"[]", b'{"Status": "picked"}'])
def test_an_unreadable_ghn_body_is_malformed(raw: bytes) -> None:
    with pytest.raises(Refused):
        GhnCarrier().parse_webhook(raw, "application/json", {})


def test_jnt_bizcontent_form_is_read_with_the_courier() -> None:
    [event] = JntCarrier().parse_webhook(body("jnt_webhook.txt"), "application/x-www-form-urlencoded", {})
    assert (event.tracking_code, event.order_code, event.status) == ("841000072647", "HM3010", "out_for_delivery")
    assert (event.shipper_name, event.shipper_phone) == ("Trần Văn An", "0933444555")
    assert event.occurred_at.isoformat() == "2026-11-24T08:10:00+07:00"


def test_ninjavan_v2_webhook_carries_the_failure_reason() -> None:
    [event] = NinjaVanCarrier().parse_webhook(body("ninjavan_webhook_v2.json"), "application/json", {})
    assert (event.status, event.order_code) == ("delivery_failed", "HM3011")
    assert "change of delivery date" in event.description


def test_ninjavan_hmac_must_match_the_raw_body() -> None:
    raw = body("ninjavan_webhook_v2.json")
    signature = base64.b64encode(hmac.new(b"client-key", raw, hashlib.sha256).digest()).decode()
    NinjaVanCarrier("client-key").verify_webhook({"X-Ninjavan-Hmac-Sha256": signature}, {}, raw)
    with pytest.raises(WebhookAuthError):
        NinjaVanCarrier("client-key").verify_webhook({"X-Ninjavan-Hmac-Sha256": signature}, {}, raw + b" ")


def test_vnpost_envelope_with_a_json_string_inside_is_read() -> None:
    [event] = VnpostCarrier().parse_webhook(body("vnpost_webhook.json"), "application/json", {})
    assert (event.tracking_code, event.status, event.detail) == ("EB123456789VN", "delivered", "cod_collected")


def test_an_ahamove_completed_order_with_a_failed_stop_is_not_delivered() -> None:
    raw = b'{"_id": "22VMV54W", "status": "COMPLETED", "path": [{"status": "COMPLETED"}, {"status": "FAILED"}], "update_time": 1764000000.5}'
    [event] = AhamoveCarrier().parse_webhook(raw, "application/json", {})
    assert event.status == "delivery_failed" and event.tracking_code == "22VMV54W"
