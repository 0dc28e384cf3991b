"""What a shop's columns mean, in Vietnamese or English, and their cells as Haumai's values.

Headers are matched folded (no diacritics, case or punctuation), so "Mã đơn", "MÃ ĐƠN",
"ma_don" and "Ma don" are one column. Amounts are VND as shops write them ("1.250.000đ",
"1,250,000 VND", 1250000); dates in the shop's zone unless they carry an offset
("01/12/2026" is 1 December, as Vietnam writes dates).
"""

from __future__ import annotations

import re
from functools import lru_cache
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sources.carrier_names import carrier_id, fold

FIELDS: dict[str, tuple[str, ...]] = {  # Haumai's field → the headers shops use for it
    "code": ("code", "ma don", "ma don hang", "ma dh", "order code", "order", "order id", "order number", "so don"),
    "customer_name": ("customer_name", "ten khach", "ten khach hang", "khach hang", "ho ten", "ho va ten",
                      "nguoi nhan", "customer", "customer name", "name"),
    "phone": ("phone", "sdt", "so dien thoai", "dien thoai", "dt", "phone number", "mobile"),
    "channel": ("channel", "kenh"),
    "channel_user_id": ("channel_user_id", "channel user id"),
    "items": ("items", "san pham", "hang hoa", "products"),
    "total": ("total", "tong tien", "tong", "thanh tien", "tong cong", "amount", "order total"),
    "carrier": ("carrier", "don vi van chuyen", "dvvc", "hang van chuyen", "nha van chuyen", "shipping carrier"),
    "tracking_code": ("tracking_code", "ma van don", "ma vd", "tracking", "tracking code", "tracking number", "ma giao hang"),
    "eta": ("eta", "ngay giao du kien", "du kien giao", "expected delivery"),
    "status": ("status", "trang thai", "tinh trang"),
    "placed_at": ("placed_at", "ngay dat", "ngay dat hang", "ngay tao", "thoi gian dat", "order date", "created at", "date"),
}
_BY_HEADER = {fold(alias): field for field, aliases in FIELDS.items() for alias in aliases}
STATUS_WORDS = {  # folded Vietnamese (and English) statuses → CanonicalStatus
    "moi": "created", "moitao": "created", "choxacnhan": "created", "daxacnhan": "confirmed", "cholayhang": "confirmed",
    "dalayhang": "picked_up", "dangvanchuyen": "in_transit", "danggiao": "out_for_delivery",
    "danggiaohang": "out_for_delivery", "giaothatbai": "delivery_failed", "dagiao": "delivered",
    "dagiaohang": "delivered", "hoanthanh": "delivered", "danghoan": "returning", "dahoan": "returned",
    "dahuy": "cancelled", "huy": "cancelled",
}
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DECIMALS = re.compile(r"^\d+[.,]\d{1,2}$")  # "450000.00": a decimal point, not a thousands separator
_CURRENCY = re.compile(r"(?i)\s|đ|₫|vnd|dong")
_ITEM_SEPARATOR = re.compile(r"[;\n]")
_ZERO_LOST = re.compile(r"^[35789]\d{8}$")
ITEM = re.compile(r"^\s*(?P<name>.+?)\s+[x×]\s*(?P<quantity>\d+)\s*@\s*(?P<price>[\d.,]+)\s*(?:đ|₫|vnd)?\s*$", re.IGNORECASE)


def field_of(header: str) -> str | None:
    return _BY_HEADER.get(fold(header))


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code or phone Excel stored as a number
    return str(value).strip()


def vnd(value: Any) -> int:
    """'1.250.000đ', '1,250,000 VND', '450000.00', 1250000 → whole VND; ValueError names the cell."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(value)
    cleaned = _CURRENCY.sub("", text(value))
    if not cleaned:
        return 0
    if _DECIMALS.match(cleaned):
        return round(float(cleaned.replace(",", ".")))
    digits = cleaned.replace(".", "").replace(",", "")
    if not digits.isdigit():
        raise ValueError(f"{text(value)!r} is not an amount in VND (e.g. 1.250.000đ)")
    return int(digits)


def moment(value: Any, zone: ZoneInfo) -> datetime | None:
    """A cell as an aware datetime: with its own offset, else in the shop's zone."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(), zone)
    raw = text(value)
    match = _DAY_FIRST.match(raw)
    if match:
        day, month, year, hour, minute, second = (int(g) if g else 0 for g in match.groups())
        try:
            return datetime(year, month, day, hour, minute, second, tzinfo=zone)
        except ValueError:
            raise ValueError(f"{raw!r} is not a date (day/month/year)") from None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a date (01/12/2026 or 2026-12-01)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def day(value: Any, zone: ZoneInfo) -> date | None:
    found = moment(value, zone)
    return found.date() if found else None


def phone(value: Any) -> str:
    """A phone as typed; one Excel kept as a number lost its leading 0 (912345678), which is put back."""
    raw = text(value)
    return f"0{raw}" if _ZERO_LOST.match(raw) else raw


def carrier(value: Any) -> str | None:
    return _carrier(text(value))


def status(value: Any) -> str | None:
    return _status(text(value))


@lru_cache(maxsize=1024)  # a file names a handful of carriers and statuses, on every row
def _carrier(name: str) -> str | None:
    return carrier_id(name)


@lru_cache(maxsize=1024)
def _status(raw: str) -> str | None:
    return STATUS_WORDS.get(fold(raw), raw.lower()) if raw else None


def items(value: Any) -> list[dict[str, Any]]:
    """'Áo thun x2 @150.000; Quần x1 @300000' → items; ValueError for a part that is not one."""
    found = []
    for part in filter(None, (p.strip() for p in _ITEM_SEPARATOR.split(text(value)))):
        match = ITEM.match(part)
        if match is None:
            raise ValueError(f"item {part!r} should look like 'Áo thun x2 @150000'")
        found.append({"name": match["name"], "quantity": int(match["quantity"]), "price": vnd(match["price"])})
    return found
