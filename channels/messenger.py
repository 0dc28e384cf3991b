"""Facebook Messenger through the Graph API Send API (v23.0), research/channels.md §2.

Signatures are checked over the RAW body (Meta signs its `\\uXXXX`-escaped bytes; parsing
and re-serialising first breaks every Vietnamese message). Inside the 24 h window replies go
as RESPONSE; a person's reply after it (up to 7 days) carries the HUMAN_AGENT tag; automated
updates after it go as an approved Utility Message template when the shop configured one for
that kind, and are otherwise refused here (OutsideWindow) so the dispatcher can try another
channel or record the skip. The retired POST_PURCHASE_UPDATE / ACCOUNT_UPDATE /
CONFIRMED_EVENT_UPDATE tags are never sent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar

import aiohttp

from channels.base import (
    AuthFailed, Capabilities, DeliveryUnknown, InvalidSignature, MalformedPayload, OutsideWindow, RawRequest,
    RecipientUnreachable, RejectedRequest, RetryLater,
)
from channels.models import (
    Address, Attachment, ChannelKind, Inbound, Kind, Message, OutboundMessage, Purpose, Receipt, SendResult,
    TemplateRef,
)

WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
TIMEOUT = aiohttp.ClientTimeout(total=10)


class MessengerChannel:
    kind: ClassVar[ChannelKind] = ChannelKind.MESSENGER
    capabilities: ClassVar[Capabilities] = Capabilities(
        max_text=2000, max_buttons=13, max_button_title=20, max_action_bytes=1000,
        templates=True, free_window=WINDOW,
    )

    def __init__(self, page_token: str, app_secret: str, verify_token: str, *,
                 session: aiohttp.ClientSession, api_base: str = "https://graph.facebook.com/v23.0") -> None:
        self._token, self._secret, self._verify_token = page_token, app_secret.encode(), verify_token
        self._session, self._api_base = session, api_base.rstrip("/")

    def handshake(self, request: RawRequest) -> str | None:
        if request.query.get("hub.mode") != "subscribe":
            return None
        given = request.query.get("hub.verify_token", "")
        if not hmac.compare_digest(given.encode(), self._verify_token.encode()):
            raise InvalidSignature("wrong hub.verify_token")
        return request.query.get("hub.challenge", "")

    def verify(self, request: RawRequest) -> None:
        given = request.headers.get("X-Hub-Signature-256", "")
        expected = "sha256=" + hmac.new(self._secret, request.body, hashlib.sha256).hexdigest()
        if not given or not hmac.compare_digest(given.encode(), expected.encode()):
            raise InvalidSignature("missing or wrong X-Hub-Signature-256")

    def parse(self, request: RawRequest) -> list[Inbound]:
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as failure:
            raise MalformedPayload(f"body is not JSON: {failure}") from failure
        if isinstance(data, dict) and isinstance(data.get("value"), dict) and str(data.get("field", "")).startswith("messag"):
            data = {"object": "page", "entry": [{"messaging": [data["value"]]}]}  # the dashboard's test sample
        if not isinstance(data, dict) or data.get("object") != "page" or not isinstance(data.get("entry"), list):
            raise MalformedPayload("expected a page object with entry[]")
        events = [e for entry in data["entry"] if isinstance(entry, dict) for e in entry.get("messaging") or []]
        return [item for item in (_event(e) for e in events if isinstance(e, dict)) if item is not None]

    async def acknowledge(self, message: Message) -> None:
        return None

    async def send(self, message: OutboundMessage) -> SendResult:
        body = {"recipient": {"id": message.to.user}, **_envelope(message)}
        try:
            async with self._session.post(
                f"{self._api_base}/me/messages", json=body, timeout=TIMEOUT,
                headers={"Authorization": f"Bearer {self._token}"},  # never in the URL: URLs get logged
            ) as response:
                reply = await response.json(content_type=None)
                status = response.status
        except TimeoutError as failure:
            raise DeliveryUnknown("Graph API did not answer in time") from failure
        except aiohttp.ClientConnectionError as failure:
            raise RetryLater(f"cannot reach the Graph API: {failure}") from failure
        if status >= 400 or "error" in (reply or {}):
            raise _error(status, (reply or {}).get("error") or {})
        return SendResult(provider_id=str(reply.get("message_id")))

    async def aclose(self) -> None:
        return None


def _envelope(message: OutboundMessage) -> dict[str, Any]:
    """How this message may go now: in the window, as a person's reply, or as a utility template."""
    age = message.since_last_inbound
    if age is None or age <= WINDOW:
        return {"messaging_type": "RESPONSE", "message": _content(message)}
    if message.purpose == Purpose.STAFF and age <= HUMAN_AGENT_WINDOW:
        return {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT", "message": _content(message)}
    if message.purpose == Purpose.UPDATE and message.template is not None:
        return {"messaging_type": "UTILITY", "message": {"template": _utility(message.template)}}
    msg = f"outside Messenger's 24 h window ({age} since the customer wrote) and no utility template"
    raise OutsideWindow(msg)


def _utility(template: TemplateRef) -> dict[str, Any]:
    parameters = [{"type": "text", "text": value} for value in template.params.values()]
    return {"name": template.name, "language": {"code": template.language},
            "components": [{"type": "body", "parameters": parameters}]}


def _content(message: OutboundMessage) -> dict[str, Any]:
    content: dict[str, Any] = {"text": message.text}
    if message.buttons:
        content["quick_replies"] = [
            {"content_type": "text", "title": b.title[:20], "payload": b.action} for b in message.buttons[:13]
        ]
    if message.request_phone:
        content.setdefault("quick_replies", []).append({"content_type": "user_phone_number"})
    return content


def _event(event: dict[str, Any]) -> Inbound | None:
    sender = Address(ChannelKind.MESSENGER, str((event.get("sender") or {}).get("id", "")))
    at = datetime.fromtimestamp(float(event.get("timestamp", 0)) / 1000, timezone.utc)
    if "delivery" in event or "read" in event:
        receipt = event.get("delivery") or event.get("read") or {}
        status = "delivered" if "delivery" in event else "read"
        return Receipt(sender=sender, provider_ids=tuple(receipt.get("mids") or ()), status=status, at=at)
    message, postback = event.get("message") or {}, event.get("postback") or {}
    if message.get("is_echo"):
        return None
    referral = event.get("referral") or postback.get("referral") or (event.get("optin") or {})
    base: dict[str, Any] = {"sender": sender, "received_at": at}
    if message:
        return _message(message, base)
    if postback.get("payload"):
        event_id = postback.get("mid") or f"pb:{sender.user}:{event.get('timestamp')}:{postback['payload']}"
        return Message(id=str(event_id), kind=Kind.ACTION, action=str(postback["payload"]), **base)
    if referral.get("ref"):
        return Message(id=f"ref:{sender.user}:{event.get('timestamp')}", kind=Kind.LINK, link_token=str(referral["ref"]), **base)
    return None


def _message(message: dict[str, Any], base: dict[str, Any]) -> Message:
    mid = str(message.get("mid", ""))
    if not mid:
        raise MalformedPayload("a message without mid")
    payload = (message.get("quick_reply") or {}).get("payload")
    if payload:
        return Message(id=mid, kind=Kind.ACTION, action=str(payload), text=message.get("text", ""), **base)
    attachments = tuple(
        Attachment(type=str(a.get("type", "file")), url=str((a.get("payload") or {}).get("url", "")))
        for a in message.get("attachments") or [] if isinstance(a, dict)
    )
    kind = Kind.MEDIA if attachments and not message.get("text") else Kind.TEXT
    return Message(id=mid, kind=kind, text=str(message.get("text", "")), attachments=attachments, **base)


def _error(status: int, error: dict[str, Any]) -> Exception:
    """Graph error codes (research §2.5) to outbox decisions."""
    code, sub, text = error.get("code"), error.get("error_subcode"), str(error.get("message") or f"HTTP {status}")
    if code in (2, 4, 32, 613) or status >= 500:
        return RetryLater(text, code=str(code))
    if code == 10 and sub in (2018278, 1545041) or code == 1545041:
        return OutsideWindow(text, code=str(code))
    if code == 551 or sub == 2018001 or code == 10 and sub == 1893063:
        return RecipientUnreachable(text, code=str(code))
    if code == 190:
        return AuthFailed(text, code=str(code))
    return RejectedRequest(text, code=str(code))
