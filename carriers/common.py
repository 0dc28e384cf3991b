"""Helpers every carrier adapter needs: lenient bodies, carrier time formats, text fallback."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime, timezone
from typing import Any, Mapping
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import aiohttp

from carriers.base import CarrierUnavailable, MalformedWebhook
from carriers.models import CanonicalStatus
from carriers.unknown_codes import UnknownCodes
from untrusted.documents import load
from untrusted.refused import Refused

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")  # carriers' documented zone, +07:00 all year
TIMEOUT = aiohttp.ClientTimeout(total=3)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_MISSING_COMMA = re.compile(r'("|\d|true|false|null)\s*\n(\s*")')
# A time of day, then an offset whose "+" form decoding turned into a space (GHTK's form sample).
_SPACED_OFFSET = re.compile(r"^(.*\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")
_UNKNOWN_CODES = UnknownCodes()


def lenient_json(body: bytes) -> Any:
    """JSON within the shared bounds, tolerating the trailing and missing commas of carriers' own examples."""
    text = body.decode("utf-8-sig", errors="replace")
    for candidate in (text, _TRAILING_COMMA.sub(r"\1", _MISSING_COMMA.sub(r"\1,\n\2", text))):
        try:
            return load(candidate)
        except Refused:
            continue
    raise MalformedWebhook("body is not JSON (even leniently)")


def form_or_json(body: bytes, content_type: str) -> dict[str, Any]:
    if "json" in content_type or body.lstrip()[:1] in (b"{", b"["):
        data = lenient_json(body)
    else:
        data = dict(parse_qsl(body.decode("utf-8", errors="replace")))
    if not isinstance(data, dict) or not data:
        raise MalformedWebhook("expected an object or form fields")
    return data


def parse_time(value: Any, *formats: str) -> datetime:
    """ISO with or without zone, or the given local formats; no zone means Vietnam time.

    Lenient because carriers' own samples are: GHTK documents its form webhook with
    `action_time=2016-11-02T12:18:39+07:00` unencoded, and form decoding reads that `+` as
    a space. A time in the future is left as given: only the timeline knows when it arrived.
    """
    text = _SPACED_OFFSET.sub(r"\1+\2", str(value or "").strip())
    if not text:
        return datetime.now(timezone.utc)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = _first_format(text, formats)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM)


def _first_format(text: str, formats: tuple[str, ...]) -> datetime:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise MalformedWebhook(f"unreadable time {text!r}")


def event_id(carrier: str, *parts: Any) -> str:
    return hashlib.sha256("|".join([carrier, *map(str, parts)]).encode()).hexdigest()[:32]


def fold(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in plain if unicodedata.category(c) != "Mn")


TEXT_RULES = [
    (r"giao hang thanh cong|phat thanh cong|da giao hang", CanonicalStatus.DELIVERED),
    (r"hoan thanh cong|da tra hang|da hoan", CanonicalStatus.RETURNED),
    (r"dang hoan|chuyen hoan|dang tra hang", CanonicalStatus.RETURNING),
    (r"huy", CanonicalStatus.CANCELLED),
    (r"khong thanh cong|that bai|hen giao lai|khong lien lac", CanonicalStatus.DELIVERY_FAILED),
    (r"dang giao|dang phat|di phat|phat hang", CanonicalStatus.OUT_FOR_DELIVERY),
    (r"da lay hang|lay hang thanh cong|da nhan hang|buu ta da nhan", CanonicalStatus.PICKED_UP),
    (r"den kho|roi kho|trung chuyen|phan loai|khai thac|van chuyen", CanonicalStatus.IN_TRANSIT),
]


def from_text(description: str) -> CanonicalStatus | None:
    """docs/carriers.md §9: the Vietnamese description when the code is unknown."""
    folded = fold(description)
    return next((status for pattern, status in TEXT_RULES if re.search(pattern, folded)), None)


def unknown_code(carrier: str, raw: str, description: str) -> CanonicalStatus | None:
    """Unknown codes never crash: text fallback, else keep the current state; logged in bounds."""
    _UNKNOWN_CODES.report(carrier, raw)
    return from_text(description)


def from_table(
    carrier: str, table: Mapping[str, tuple[CanonicalStatus | None, str | None]], raw: str, description: str,
) -> tuple[CanonicalStatus | None, str | None]:
    """A documented code's (status, detail) from the carrier's table; any other code as `unknown_code` finds it."""
    return table[raw] if raw in table else (unknown_code(carrier, raw, description), None)


async def get_json(session: aiohttp.ClientSession, method: str, url: str, **kwargs: Any) -> Any:
    try:
        async with session.request(method, url, timeout=TIMEOUT, **kwargs) as response:
            if response.status >= 500:
                raise CarrierUnavailable(f"HTTP {response.status}")
            return await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as failure:
        raise CarrierUnavailable(f"{type(failure).__name__}: {failure}") from failure


def unexpected_answer(carrier: str, reply: Any) -> CarrierUnavailable:
    """An answer we cannot read, described by its shape: its content may name the customer."""
    shape = f"object with keys {', '.join(sorted(str(key)[:40] for key in reply)[:20])}" if isinstance(reply, dict) else type(reply).__name__
    return CarrierUnavailable(f"unexpected {carrier} answer: {shape}")
