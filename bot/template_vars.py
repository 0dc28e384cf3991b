"""The plain values a provider template can be filled with, stored with each proactive row.

Outside a messaging window Zalo (ZBS) and Messenger (utility messages) accept only approved
templates with named parameters, not our rendered text. The planner knows the order when it
writes the row; the dispatcher decides on the template only at send time, so the values
travel in the row's body.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.storage.models import Contact, Order
from carriers.registry import tracking_url
from content.filters import carrier_name, date_label, status_label


def international_phone(phone: str | None) -> str:
    """`0912345678` → `84912345678`, the form Zalo's business API takes; "" when unknown."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits.startswith("0"):
        return "84" + digits[1:]
    return digits


def template_vars(
    order: Order | None, contact: Contact, *, shop: str, language: str, zone: ZoneInfo, **extra: Any
) -> dict[str, str]:
    values: dict[str, Any] = {"shop": shop, "customer": contact.name or "", **extra}
    phone = contact.phone if contact.phone_verified else None
    if order is not None:
        values.update(
            customer=values["customer"] or order.customer_name or "",
            order_code=order.code,
            status=status_label(order.status, language),
            carrier=carrier_name(order.carrier) if order.carrier else "",
            tracking_code=order.tracking_code or "",
            tracking_url=tracking_url(order.carrier, order.tracking_code) or "",
            eta=date_label(order.eta, language, zone) if order.eta else "",
        )
        phone = phone or order.phone
    values["phone"] = international_phone(phone)
    return {key: f"{value:%d/%m/%Y}" if isinstance(value, date) else str(value) for key, value in values.items()}
