"""Entities in a message: the shop's order code, a carrier tracking code, a phone number.

Tracking-code patterns follow docs/carriers.md §10; a carrier named in the message
("giao hàng nhanh", "j&t", "viettel") settles ambiguous codes, and so does the word
"vận đơn" in front of a code. Every entity keeps its place in the text, so the classifier
can read the words around it rather than the digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.nlu.text import strip_marks

Span = tuple[int, int]

# +84 / 84 / (+84) / 0, then nine digits in any grouping of spaces, dots or dashes
_PHONE = re.compile(r"(?<![\w+])(\(?\+?84\)?[\s.\-]?(?:\(0\)[\s.\-]?)?|0)(\d(?:[\s.\-]?\d){8})(?!\d)")
_TRACKING = [
    ("ghtk", re.compile(r"\b(S\d{1,10}(?:\.[0-9A-Z]{1,12}){1,4})\b", re.I)),
    ("spx", re.compile(r"\b(SPXVN[0-9A-Z]{8,16})\b", re.I)),
    ("vnpost", re.compile(r"\b([A-Z]{2}\d{9}VN)\b", re.I)),
    ("ninjavan", re.compile(r"\b((?:SPEVN|NLVN|NVN)[0-9A-Z]{6,16}|NV[A-Z]{2,6}\d{6,14}[A-Z0-9]*)\b", re.I)),
    ("ahamove", re.compile(r"\b(AHA[A-Z0-9]{6,14})\b", re.I)),
    ("best", re.compile(r"\b(BEST\d{8,14}|66\d{10})\b", re.I)),
    ("jnt", re.compile(r"\b(8[0-9]{11}|JT\d{8,14}|VN\d{10,13})\b", re.I)),
    ("ghn", re.compile(r"\b(G[A-Z0-9]{5,9}|L[A-Z0-9]{6,9})\b")),
    ("viettelpost", re.compile(r"\b([1-9]\d{9,13}|VTP\d{8,12})\b", re.I)),
    ("ahamove", re.compile(r"\b((?=[0-9A-Z]*\d)(?=[0-9A-Z]*[A-Z])[0-9A-Z]{8})\b")),
]
_STRONG = frozenset({"ghtk", "spx", "vnpost", "ninjavan", "best"})
# "vận đơn 123456789012", "mã vđ: GAN6D8A9", "tracking 77123…": whatever follows is a tracking code
_WAYBILL = re.compile(r"\b(?:ma\s+)?(?:van\s+don|mvd|tracking(?:\s+(?:code|number|no))?)\s*(?:so\s+)?[:#]?\s*([0-9A-Z][0-9A-Z.]{5,30}[0-9A-Z])\b", re.I)
_CARRIER_NAMES = [
    ("ghn", ("giao hang nhanh", "ghn")), ("ghtk", ("giao hang tiet kiem", "ghtk")),
    ("viettelpost", ("viettel post", "viettelpost", "viettel", "vtp")),
    ("jnt", ("j t", "jnt", "jt express")),
    ("ninjavan", ("ninja van", "ninjavan", "ninja")), ("vnpost", ("vnpost", "vn post", "buu dien")),
    ("ahamove", ("ahamove",)), ("spx", ("spx", "shopee express")), ("best", ("best express",)),
]
# Finds a name wherever the loop in carrier_named would, without saying which carrier comes first
_ANY_CARRIER = re.compile("|".join(re.escape(f" {name} ") for _, names in _CARRIER_NAMES for name in names))
_NON_WORD = re.compile(r"[^0-9a-z]+")
_DIGIT = re.compile(r"\d")
_ORDER = re.compile(r"(?<![\w.])#?([A-Z]{1,5}[-_]?\d{3,12}(?:[-_]\d{1,8})*|\d{4,8})(?![\w.])", re.I)
# "đơn số 123", "mã đơn 123", "đơn hàng số 4567", "order #123", "order number 123"
_ORDER_SAID = re.compile(
    r"\b(?:ma\s+don(?:\s+hang)?|don(?:\s+hang)?\s+so|order\s+(?:no\.?|number|num|#))\s*[:#]?\s*(#?[0-9A-Z][0-9A-Z\-_]*\d[0-9A-Z\-_]*|\d+)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Entities:
    order_code: str | None = None
    tracking_code: str | None = None
    phone: str | None = None
    carrier: str | None = None

    def __bool__(self) -> bool:
        return bool(self.order_code or self.tracking_code or self.phone)


@dataclass(frozen=True, slots=True)
class Found:
    """The entities and where they sit in `plain`, the message without diacritics."""

    entities: Entities
    plain: str
    places: tuple[tuple[int, int, str], ...]  # (start, end, "order" | "tracking" | "phone"), in order


def find_phone(text: str) -> tuple[str, Span] | None:
    for match in _PHONE.finditer(text):
        national = re.sub(r"\D", "", match.group(2))
        if national[0] in "35789":
            prefix = "0" if match.group(1) == "0" else ("+84" if "+" in match.group(1) else "84")
            return prefix + national, match.span()
    return None


def carrier_named(folded: str) -> str | None:
    padded = f" {folded} "
    if not _ANY_CARRIER.search(padded):  # one pass; most messages name no carrier
        return None
    for carrier, names in _CARRIER_NAMES:
        if any(f" {name} " in padded for name in names):
            return carrier
    return None


def _overlaps(span: Span, taken: list[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def find_tracking(text: str, named: str | None, taken: list[Span]) -> tuple[str, str | None, Span] | None:
    """A code matching a carrier pattern; weak patterns (GHN, J&T, VTP, Ahamove) need the carrier
    named or the word "vận đơn" before them."""
    said = next((m for m in _WAYBILL.finditer(text) if not _overlaps(m.span(1), taken)), None)
    for carrier, pattern in _TRACKING:
        for match in pattern.finditer(text):
            if _overlaps(match.span(1), taken):
                continue
            if carrier in _STRONG or carrier == named or (said and said.span(1) == match.span(1)):
                return match.group(1).upper(), named or carrier, match.span(1)
    if said and any(c.isdigit() for c in said.group(1)):
        return said.group(1).upper(), named, said.span(1)
    return None


@lru_cache(maxsize=16)
def order_pattern(pattern: str | None) -> re.Pattern[str]:
    """The shop's own order-code format (HAUMAI_ORDER_CODE_PATTERN), else the generic one."""
    return re.compile(rf"(?<![\w.])#?(?:{pattern})(?![\w.])", re.I) if pattern else _ORDER


def find_order_code(text: str, taken: list[Span], pattern: str | None = None) -> tuple[str, Span] | None:
    said = next((m for m in _ORDER_SAID.finditer(text) if not _overlaps(m.span(1), taken)), None)
    if said:
        return said.group(1).lstrip("#").upper().replace("_", "-"), said.span(1)
    shop = order_pattern(pattern)
    for match in shop.finditer(text):
        group = 1 if shop.groups else 0
        code = match.group(group).lstrip("#").upper()
        if _overlaps(match.span(group), taken):
            continue
        if pattern or any(c.isalpha() for c in code) or match.group(0).startswith("#"):
            return code.replace("_", "-"), match.span()  # with its "#": the mark is part of the code
    return None


def locate(text: str, pattern: str | None = None) -> Found:
    """Phones first (a 10-digit 0… number is never a code), then tracking codes, then order codes."""
    plain = strip_marks(text)
    named = carrier_named(" ".join(_NON_WORD.sub(" ", plain.lower()).split()))  # no teencode: "j&t" ≠ "gì"
    if not _DIGIT.search(plain):  # every code and phone has digits; most messages have none
        return Found(Entities(carrier=named), plain, ())
    phone = find_phone(plain)
    taken = [phone[1]] if phone else []
    tracking = find_tracking(plain, named, taken)
    if tracking:
        taken.append(tracking[2])
    order = find_order_code(plain, taken, pattern)
    places = [(*found[-1], kind) for kind, found in (("phone", phone), ("tracking", tracking), ("order", order)) if found]
    entities = Entities(
        order_code=order[0] if order else None,
        tracking_code=tracking[0] if tracking else None,
        phone=phone[0] if phone else None,
        carrier=tracking[1] if tracking else named,
    )
    return Found(entities, plain, tuple(sorted(places)))


def extract(text: str, pattern: str | None = None) -> Entities:
    return locate(text, pattern).entities
