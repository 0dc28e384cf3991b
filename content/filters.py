"""Formatting for messages: VND amounts, Vietnamese dates, status and carrier names."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

STATUS_LABELS = {
    "vi": {
        "created": "Đã tạo đơn", "confirmed": "Đã xác nhận", "picked_up": "Shipper đã lấy hàng",
        "in_transit": "Đang vận chuyển", "out_for_delivery": "Đang giao đến bạn",
        "delivery_failed": "Giao chưa thành công", "delivered": "Đã giao thành công",
        "returning": "Đang hoàn về shop", "returned": "Đã hoàn về shop", "cancelled": "Đã hủy",
        "exception": "Đang gặp sự cố, shop đang kiểm tra",
    },
    "en": {
        "created": "Order created", "confirmed": "Confirmed", "picked_up": "Picked up by the courier",
        "in_transit": "In transit", "out_for_delivery": "Out for delivery",
        "delivery_failed": "Delivery attempt failed", "delivered": "Delivered",
        "returning": "Returning to the shop", "returned": "Returned to the shop",
        "cancelled": "Cancelled", "exception": "Delayed by an issue, the shop is checking",
    },
}
CARRIER_NAMES = {
    "ghn": "Giao Hàng Nhanh (GHN)", "ghtk": "Giao Hàng Tiết Kiệm (GHTK)", "viettelpost": "Viettel Post",
    "jnt": "J&T Express", "ninjavan": "Ninja Van", "vnpost": "VNPost", "ahamove": "Ahamove",
    "spx": "SPX Express", "best": "BEST Express", "sandbox": "Haumai Express (demo)",
}
_WEEKDAYS = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def vnd(amount: int | float) -> str:
    """150000 → `150.000 ₫` (Vietnamese grouping with dots; a plain space, not U+00A0)."""
    return f"{int(round(amount)):,}".replace(",", ".") + " ₫"


def date_label(value: date | datetime, lang: str, zone: ZoneInfo) -> str:
    day = value.astimezone(zone).date() if isinstance(value, datetime) else value
    if lang == "vi":
        return f"{_WEEKDAYS['vi'][day.weekday()]}, {day:%d/%m/%Y}"
    return f"{_WEEKDAYS['en'][day.weekday()]}, {day.day} {_MONTHS[day.month - 1]} {day.year}"


def time_label(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%H:%M")


def datetime_label(value: datetime, lang: str, zone: ZoneInfo) -> str:
    local = value.astimezone(zone)
    return f"{time_label(local, zone)} {local:%d/%m}" if lang == "vi" else f"{local:%H:%M}, {local.day} {_MONTHS[local.month - 1]}"


def status_label(status: str, lang: str) -> str:
    return STATUS_LABELS.get(lang, STATUS_LABELS["vi"]).get(status, status)


def carrier_name(carrier: str | None) -> str:
    return CARRIER_NAMES.get(carrier or "", (carrier or "").upper())
