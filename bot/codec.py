"""Inbound messages to and from the JSON stored in `inbound_events.payload`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from channels.models import Address, Attachment, Kind, Message


def message_to_payload(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "sender": str(message.sender),
        "kind": message.kind.value,
        "received_at": message.received_at.isoformat(),
        "text": message.text,
        "action": message.action,
        "phone": message.phone,
        "link_token": message.link_token,
        "display_name": message.display_name,
        "language": message.language,
        "callback_id": message.callback_id,
        "attachments": [
            {"type": a.type, "url": a.url, "title": a.title} for a in message.attachments
        ],
    }


def message_from_payload(payload: dict[str, Any]) -> Message:
    return Message(
        id=payload["id"],
        sender=Address.parse(payload["sender"]),
        kind=Kind(payload["kind"]),
        received_at=datetime.fromisoformat(payload["received_at"]),
        text=payload.get("text") or "",
        action=payload.get("action"),
        phone=payload.get("phone"),
        link_token=payload.get("link_token"),
        display_name=payload.get("display_name") or "",
        language=payload.get("language"),
        callback_id=payload.get("callback_id"),
        attachments=tuple(Attachment(**a) for a in payload.get("attachments", ())),
    )
