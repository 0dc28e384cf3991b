"""Request bodies of the REST API, validated with reasons a developer can act on."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.phones import normalise_phone
from carriers.models import CanonicalStatus
from untrusted.fields import Day, Moment

CARRIERS = Literal["ghn", "ghtk", "viettelpost", "jnt", "ninjavan", "vnpost", "ahamove", "spx", "best", "sandbox", "other"]
Channel = Literal["telegram", "messenger", "zalo", "web"]


MAX_AMOUNT = 10**15  # VND; far above any order, far below a 64-bit column


class Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


def _phone(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    phone = normalise_phone(value)
    if phone is None:
        msg = "not a Vietnamese phone number (e.g. 0987654321 or +84987654321)"
        raise ValueError(msg)
    return phone


class Customer(Strict):
    name: str = Field(default="", max_length=200)
    phone: str | None = Field(default=None, max_length=30)
    channel: Channel | None = None
    channel_user_id: str | None = Field(default=None, max_length=128)

    _normalise = field_validator("phone")(classmethod(lambda cls, v: _phone(v)))


class Item(Strict):
    name: str = Field(min_length=1, max_length=300)
    quantity: int = Field(ge=1, le=100_000)
    price: int = Field(ge=0, le=MAX_AMOUNT)


class OrderIn(Strict):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/#]*$")
    customer: Customer = Field(default_factory=Customer)
    items: list[Item] = Field(default_factory=list, max_length=500)
    total: int = Field(default=0, ge=0, le=MAX_AMOUNT)
    currency: Literal["VND"] = "VND"
    carrier: CARRIERS | None = None
    tracking_code: str | None = Field(default=None, max_length=64)
    eta: Day | None = None
    status: CanonicalStatus | None = None
    placed_at: Moment | None = None


class EventIn(Strict):
    status: CanonicalStatus | None = None
    occurred_at: Moment | None = None
    description: str = Field(default="", max_length=1000)
    location: str | None = Field(default=None, max_length=200)
    shipper_name: str | None = Field(default=None, max_length=100)
    shipper_phone: str | None = Field(default=None, max_length=30)
    eta: Day | None = None

    _normalise = field_validator("shipper_phone")(classmethod(lambda cls, v: _phone(v)))


class RedeemIn(Strict):
    order_code: str = Field(min_length=1, max_length=64)


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
