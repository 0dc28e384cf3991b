"""Degrading a rich message to what a channel can show, in one place.

Adapters then assume their input fits: text within the length limit, at most the number
of buttons the platform renders (the rest become a numbered list the customer can answer
with a number), titles short enough, and payloads within the platform's byte limit.
"""

from __future__ import annotations

import dataclasses

from channels.base import Capabilities, PhoneShare
from channels.models import Button, OutboundMessage

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary when one is near, so a message never ends mid-word."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.7 else cut).rstrip() + ELLIPSIS


def numbered(text: str, buttons: tuple[Button, ...], hint: str) -> str:
    """Options as a list to answer by number, followed by the caller's localised `hint` saying
    so. A score scale (buttons titled 0…10) is shown as the scores themselves, without the
    hint: the number typed is the score meant, not an option's place in the list."""
    heads = [b.title.split()[0] if b.title.split() else "" for b in buttons]
    if all(head.isdigit() for head in heads) and len(set(heads)) == len(heads):
        options, hint = " · ".join(b.title for b in buttons), ""
    else:
        options = "\n".join(f"{n}. {b.title}" for n, b in enumerate(buttons, start=1))
    return "\n\n".join(part for part in (text, options, hint) if part)


def lists_buttons(caps: Capabilities, count: int, *, request_phone: bool) -> bool:
    """Whether `count` buttons become a numbered list here (the phone control takes a button's place)."""
    return count > caps.max_buttons - bool(request_phone and caps.phone_share is not PhoneShare.NONE)


def fit(message: OutboundMessage, caps: Capabilities, *, numbered_hint: str) -> OutboundMessage:
    """`numbered_hint` is the already-rendered line that tells the customer to answer by number,
    in their language (channels render no templates)."""
    for button in message.buttons:
        if len(button.action.encode()) > caps.max_action_bytes:
            msg = f"button payload {button.action!r} exceeds {caps.max_action_bytes} bytes"
            raise ValueError(msg)
    request_phone = message.request_phone if caps.phone_share is not PhoneShare.NONE else ""
    buttons = tuple(Button(shorten(b.title, caps.max_button_title), b.action) for b in message.buttons)
    text = message.text
    if lists_buttons(caps, len(buttons), request_phone=bool(request_phone)):
        text, buttons = numbered(text, buttons, numbered_hint), ()
    return dataclasses.replace(
        message, text=shorten(text, caps.max_text), buttons=buttons, request_phone=request_phone
    )
