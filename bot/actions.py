"""Button payloads sealed to the customer they were sent to, so a crafted tap is refused.

A tapped payload comes back as the customer's own input (Telegram callback_data, Messenger
quick-reply payload, Zalo text after a marker, web chat JSON): anyone can send any string,
such as a survey answer for someone else's order. So every button the bot sends carries an
HMAC of its action and of the contact it went to, and a tap is acted on only when that seal
matches the contact writing now. The contact (not its conversation row) is what is bound: it
is the one conversation with that customer, on whichever of their channels the message went
out, and it exists before they first write (an order placed from their account gets its
survey sealed too). Ten base64url characters (60 bits) after "~" keep
`sv:nps:<order id>:10` far inside Telegram's 64-byte callback_data.
"""

from __future__ import annotations

import hmac
from typing import Iterable

from bot.linktokens import signature
from channels.models import Button

SEPARATOR = "~"
_SEAL_CHARS = 10


def _seal(secret: bytes, contact_id: int, action: str) -> str:
    return signature(secret, f"button|{contact_id}|{action}", _SEAL_CHARS)


def sealed(secret: bytes, contact_id: int, buttons: Iterable[Button]) -> tuple[Button, ...]:
    """The buttons with payloads only this contact can send back."""
    return tuple(
        Button(b.title, f"{b.action}{SEPARATOR}{_seal(secret, contact_id, b.action)}") for b in buttons
    )


def unseal(secret: bytes, contact_id: int, payload: str) -> str | None:
    """The action of a button sealed for this contact; None for any other payload.

    The bot's actions (prefixes, ids, scores) and seals are ASCII, so anything else, a lone
    surrogate included, is refused before it reaches the HMAC."""
    action, separator, given = payload.rpartition(SEPARATOR)
    if not separator or not payload.isascii():
        return None
    return action if hmac.compare_digest(given, _seal(secret, contact_id, action)) else None
