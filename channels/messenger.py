"""Facebook Messenger through the Graph API Send API (v23.0), docs/platforms.md §2.

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
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar

import aiohttp

from channels.base import (
    AuthFailed, Capabilities, DeliveryUnknown, InvalidSignature, MalformedPayload, OutsideWindow, PhoneShare, RawRequest,
    RecipientUnreachable, RejectedRequest, RetryLater,
)
from channels import messenger_webhook as webhook
from channels.models import (
    Address, Attachment, ChannelKind, Inbound, Kind, Message, OutboundMessage, Purpose, Receipt, SendResult,
    TemplateRef,
)
from untrusted.documents import load, validate

WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
TIMEOUT = aiohttp.ClientTimeout(total=10)


class MessengerChannel:
    kind: ClassVar[ChannelKind] = ChannelKind.MESSENGER
    capabilities: ClassVar[Capabilities] = Capabilities(
        max_text=2000, max_buttons=13, max_button_title=20, max_action_bytes=1000,
        templates=True, free_window=WINDOW, provider_webhook=True,
        phone_share=PhoneShare.UNVERIFIED,  # the user_phone_number quick reply: docs/platforms.md §4
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
        document = load(request.body)
        if isinstance(document, dict) and str(document.get("field", "")).startswith("messag"):
            events: tuple[webhook.Event, ...] = (validate(webhook.DashboardSample, document, "Messenger test sample").value,)
        else:
            page = validate(webhook.Webhook, document, "Messenger page webhook")
            events = tuple(event for entry in page.entry for event in entry.messaging)
        return [item for item in map(_event, events) if item is not None]

    def link(self, token: str) -> str | None:
        return None

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
            {"content_type": "text", "title": b.title, "payload": b.action} for b in message.buttons
        ]
    if message.request_phone:
        content.setdefault("quick_replies", []).append({"content_type": "user_phone_number"})
    return content


def _event(event: webhook.Event) -> Inbound | None:
    sender = Address(ChannelKind.MESSENGER, event.sender.id)
    at = datetime.fromtimestamp(event.timestamp / 1000, timezone.utc)
    receipt = event.delivery or event.read
    if receipt is not None:
        delivered = event.delivery is not None
        return Receipt(sender=sender, provider_ids=receipt.mids, status="delivered" if delivered else "read", at=at)
    message, postback = event.message, event.postback
    if message is not None and message.is_echo:
        return None
    referral = event.referral or (postback.referral if postback else None) or event.optin
    base: dict[str, Any] = {"sender": sender, "received_at": at}
    if message is not None:
        return _message(message, base)
    if postback is not None and postback.payload:
        event_id = postback.mid or f"pb:{sender.user}:{event.timestamp}:{postback.payload}"
        return Message(id=event_id, kind=Kind.ACTION, action=postback.payload, **base)
    if referral is not None and referral.ref:
        return Message(id=f"ref:{sender.user}:{event.timestamp}", kind=Kind.LINK, link_token=referral.ref, **base)
    return None


def _message(message: webhook.Message, base: dict[str, Any]) -> Message:
    if not message.mid:
        raise MalformedPayload("a message without mid")
    payload = message.quick_reply.payload if message.quick_reply else None
    if payload:
        return Message(id=message.mid, kind=Kind.ACTION, action=payload, text=message.text, **base)
    attachments = tuple(
        Attachment(type=a.type, url=a.payload.url if a.payload else "") for a in message.attachments
    )
    kind = Kind.MEDIA if attachments and not message.text else Kind.TEXT
    return Message(id=message.mid, kind=kind, text=message.text, attachments=attachments, **base)


def _error(status: int, error: dict[str, Any]) -> Exception:
    """Graph error codes (docs/platforms.md §2.5) to outbox decisions."""
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
