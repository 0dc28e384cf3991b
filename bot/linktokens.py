"""Signed link tokens a shop sends so a customer's chat account is linked to their order.

They fit Telegram's `/start` parameter (≤ 64 chars of [A-Za-z0-9_-]) and Messenger's `ref`.
Holding one proves the customer received the shop's private message, so it links the chat
identity to the order's customer as if they had shared the phone on the order.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date

_EPOCH = date(2020, 1, 1)
_SIGNATURE_CHARS = 16


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signature(secret: bytes, body: str, chars: int = _SIGNATURE_CHARS) -> str:
    """HMAC-SHA256 of `body`, base64url, cut to `chars` (also seals buttons: bot.actions)."""
    return _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())[:chars]


def make_token(secret: bytes, order_code: str, expires: date) -> str:
    body = _b64(f"{order_code}|{(expires - _EPOCH).days}".encode())
    return f"{body}_{signature(secret, body)}".replace("=", "")


def read_token(secret: bytes, token: str, today: date) -> str | None:
    """The order code the token was made for, or None if forged, garbled or expired."""
    # The signature has a fixed length: "_" and "-" belong to base64url, so no separator is safe.
    body, separator = token[: -_SIGNATURE_CHARS - 1], token[-_SIGNATURE_CHARS - 1 : -_SIGNATURE_CHARS]
    given = token[-_SIGNATURE_CHARS:]
    if not body or separator != "_" or not hmac.compare_digest(given.encode(), signature(secret, body).encode()):
        return None
    try:
        code, _, days = _unb64(body).decode().rpartition("|")
        expired = (today - _EPOCH).days > int(days)
    except (ValueError, UnicodeDecodeError):
        return None
    return None if expired or not code else code
