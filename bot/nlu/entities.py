"""Entities in a message: the shop's order code, a carrier tracking code, a phone number.

Tracking-code patterns follow docs/carriers.md §10; a carrier named in the message
("giao hàng nhanh", "j&t", "viettel") settles ambiguous codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.text import strip_marks

_PHONE = re.compile(r"(?<![\w+])(\+?84[\s.]?|0)(\d{2,3})[\s.]?(\d{3})[\s.]?(\d{3,4})(?!\w)")
_TRACKING = [
    ("ghtk", re.compile(r"\b(S\d{1,10}(?:\.[0-9A-Z]{1,12}){1,4})\b", re.I)),
    ("spx", re.compile(r"\b(SPXVN\d{8,14}[A-Z0-9]*)\b", re.I)),
    ("vnpost", re.compile(r"\b([A-Z]{2}\d{9}VN)\b", re.I)),
    ("ninjavan", re.compile(r"\b(NV[A-Z]{2,6}\d{6,14}[A-Z0-9]*)\b", re.I)),
    ("ahamove", re.compile(r"\b(AHA[A-Z0-9]{6,14})\b", re.I)),
    ("best", re.compile(r"\b(BEST\d{8,14}|66\d{10})\b", re.I)),
    ("jnt", re.compile(r"\b(8[0-9]{11}|JT\d{8,14}|VN\d{10,13})\b", re.I)),
    ("ghn", re.compile(r"\b(G[A-Z0-9]{5,9}|L[A-Z0-9]{6,9})\b")),
    ("viettelpost", re.compile(r"\b([1-9]\d{9,13}|VTP\d{8,12})\b", re.I)),
]
_CARRIER_NAMES = [
    ("ghn", ("giao hang nhanh", "ghn")), ("ghtk", ("giao hang tiet kiem", "ghtk")),
    ("viettelpost", ("viettel post", "viettelpost", "viettel", "vtp")),
    ("jnt", ("j t", "jnt", "jt express")),
    ("ninjavan", ("ninja van", "ninjavan", "ninja")), ("vnpost", ("vnpost", "vn post", "buu dien")),
    ("ahamove", ("ahamove",)), ("spx", ("spx", "shopee express")), ("best", ("best express",)),
]
_NON_WORD = re.compile(r"[^0-9a-z]+")
_ORDER = re.compile(r"(?<![\w.])#?([A-Z]{1,5}[-_]?\d{3,12}(?:[-_]\d{1,8})*|\d{4,8})(?![\w.])", re.I)


@dataclass(frozen=True, slots=True)
class Entities:
    order_code: str | None = None
    tracking_code: str | None = None
    phone: str | None = None
    carrier: str | None = None


def find_phone(text: str) -> tuple[str, tuple[int, int]] | None:
    for match in _PHONE.finditer(text):
        written = re.sub(r"[\s.]", "", match.group(0))
        digits = written.lstrip("+")
        national = digits[2:] if digits.startswith("84") else digits[1:]
        if len(national) == 9 and national[0] in "35789":
            return written, match.span()
    return None


def carrier_named(folded: str) -> str | None:
    padded = f" {folded} "
    for carrier, names in _CARRIER_NAMES:
        if any(f" {name} " in padded for name in names):
            return carrier
    return None


def find_tracking(text: str, named: str | None) -> tuple[str, str, tuple[int, int]] | None:
    """A code matching a carrier pattern; weak patterns (GHN, J&T, VTP) need the carrier named."""
    strong = {"ghtk", "spx", "vnpost", "ninjavan", "ahamove", "best"}
    for carrier, pattern in _TRACKING:
        for match in pattern.finditer(text):
            if carrier in strong or carrier == named:
                return match.group(1).upper(), carrier, match.span()
    return None


def find_order_code(text: str, taken: list[tuple[int, int]]) -> str | None:
    for match in _ORDER.finditer(text):
        inside = any(start <= match.start() < end for start, end in taken)
        code = match.group(1).upper()
        if not inside and (any(c.isalpha() for c in code) or match.group(0).startswith("#")):
            return code.replace("_", "-")
    return None


def extract(text: str) -> Entities:
    plain = strip_marks(text).replace("Đ", "D")
    named = carrier_named(" ".join(_NON_WORD.sub(" ", plain.lower()).split()))  # no teencode: "j&t" ≠ "gì"
    phone = find_phone(plain)
    taken = [phone[1]] if phone else []
    tracking = find_tracking(plain, named)
    if tracking:
        taken.append(tracking[2])
    return Entities(
        order_code=find_order_code(plain, taken),
        tracking_code=tracking[0] if tracking else None,
        phone=phone[0] if phone else None,
        carrier=tracking[1] if tracking else named,
    )
