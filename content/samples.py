"""Sample variables for template previews (`haumai templates preview`) and template tests."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

ORDER: dict[str, Any] = {
    "code": "HM1001", "status": "out_for_delivery", "carrier": "ghn", "tracking_code": "LBK3X7QH",
    "tracking_url": "https://donhang.ghn.vn/?order_code=LBK3X7QH", "eta": date(2026, 11, 26),
    "total": 450000, "items": [{"name": "Áo thun cotton", "quantity": 2, "price": 150000}],
    "shipper_name": "Anh Tuấn", "shipper_phone": "0901234567", "last_location": "Bưu cục Quận 7, TP.HCM",
    "updated_at": datetime(2026, 11, 25, 7, 5, tzinfo=timezone.utc), "customer_name": "Chị Lan",
}
COMMON: dict[str, Any] = {
    "shop_name": "Tiệm Nhà Mây", "order": ORDER, "orders": [ORDER, {**ORDER, "code": "HM1002", "status": "confirmed"}],
    "customer_name": "Chị Lan", "code": "HM1001", "phone": "0987654321", "show_shipper": True, "can_share_phone": True,
    "within_hours": True, "opens_at": None, "order_count": 2, "new_eta": date(2026, 11, 27),
    "coupon_code": "CAMON-7KQ2-X9PM", "coupon_percent": 10, "coupon_expires": date(2026, 12, 26),
    "coupons": [{"code": "CAMON-7KQ2-X9PM", "percent": 10, "expires_at": date(2026, 12, 26)}],
    "score": 5, "kind": "csat",
}
SAMPLES: dict[str, dict[str, Any]] = {"*": COMMON}

# --- the shop answering about itself (issue 13) ---
COMMON.update({
    "address": "12 Nguyễn Trãi, Quận 1, TP.HCM", "hotline": "1900 1234", "opens": "08:00", "closes": "21:00",
    "faq": "https://tiemnhamay.vn/hoi-dap",
})
