"""Zalo Official Account, OpenAPI v3 (docs/platforms.md §1).

The webhook signature is plain SHA-256 of app_id + raw body + the body's timestamp + the OA
secret key; IDs and timestamps are strings. Button taps arrive as ordinary `user_send_text`
carrying the button's payload, so our payloads carry a marker that tells them from typing.
Replies go to `/v3.0/oa/message/cs` within 7 days of the customer's last interaction; after
that only approved ZBS templates may go, by user id (`/v3.0/oa/message/template`) or by phone
(the business API). Zalo answers every error with HTTP 200 and `{"error": -N}`.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar, Protocol

import aiohttp

from channels.base import (
    AuthFailed, Capabilities, ChannelError, DeliveryUnknown, InvalidSignature, MalformedPayload, OutsideWindow,
    PhoneShare, RawRequest,
    RecipientUnreachable, RejectedRequest, RetryLater,
)
from channels import zalo_webhook as webhook
from channels.models import (
    Address, Attachment, ChannelKind, Inbound, Kind, Message, OutboundMessage, Purpose, Receipt, SendResult,
    TemplateRef,
)
from untrusted.documents import checked, load, load_object

ACTION_MARKER = "#hm:"  # a tapped oa.query.hide button comes back as this text
WINDOW = timedelta(days=7)
TIMEOUT = aiohttp.ClientTimeout(total=10)
MEDIA = {"image", "link", "audio", "video", "sticker", "gif", "location", "file", "business_card"}
RETRY, AUTH, WINDOW_CLOSED, UNREACHABLE = {-32, -133, -234}, {-216, -220, -124}, {-230, -232}, {-213, -227, -244, -108, -114}


class AccessTokens(Protocol):
    """Where the adapter gets the OA access token (25 h, refreshed elsewhere under a lease)."""

    async def current(self) -> str:
        """The access token to use now."""

    async def rejected(self, token: str) -> bool:
        """Zalo refused `token`; True when a fresh one is ready to retry with."""


class ZaloChannel:
    kind: ClassVar[ChannelKind] = ChannelKind.ZALO
    capabilities: ClassVar[Capabilities] = Capabilities(
        max_text=2000, max_buttons=5, max_button_title=100, max_action_bytes=1000 - len(ACTION_MARKER),
        templates=True, free_window=WINDOW, provider_webhook=True,
        phone_share=PhoneShare.UNVERIFIED,  # the request_user_info form is typed: docs/platforms.md §4
    )

    def __init__(self, app_id: str, oa_secret_key: str, tokens: AccessTokens, *,
                 session: aiohttp.ClientSession, api_base: str = "https://openapi.zalo.me",
                 business_api_base: str = "https://business.openapi.zalo.me") -> None:
        self._app_id, self._oa_secret, self._tokens = app_id, oa_secret_key, tokens
        self._session, self._api_base = session, api_base.rstrip("/")
        self._business_base = business_api_base.rstrip("/")

    def handshake(self, request: RawRequest) -> str | None:
        return None

    def verify(self, request: RawRequest) -> None:
        given = request.headers.get("X-ZEvent-Signature", "").removeprefix("mac=")
        timestamp = str(load_object(request.body).get("timestamp", ""))
        text = request.body.decode("utf-8", errors="replace")
        expected = hashlib.sha256(f"{self._app_id}{text}{timestamp}{self._oa_secret}".encode()).hexdigest()
        if not given or not hmac.compare_digest(given.encode(), expected.encode()):
            raise InvalidSignature("missing or wrong X-ZEvent-Signature")

    def parse(self, request: RawRequest) -> list[Inbound]:
        data = checked(webhook.Event, load(request.body), "Zalo event")  # typed, read by wire names
        name = str(data["event_name"])
        at = datetime.fromtimestamp(data.get("timestamp", 0) / 1000, timezone.utc)
        if name.startswith("oa_send_") or name.startswith("anonymous_"):
            return []  # our own echoes, and chats we cannot answer
        if name in ("user_received_message", "user_seen_message"):
            ids = tuple(str(i) for i in (data.get("message") or {}).get("msg_ids") or ())
            received = name == "user_received_message"
            return [Receipt(sender=_user(data), provider_ids=ids, status="delivered" if received else "read", at=at)]
        message = _from_event(name, data, at)
        return [message] if message is not None else []

    def link(self, token: str) -> str | None:
        return None

    async def acknowledge(self, message: Message) -> None:
        return None

    async def send(self, message: OutboundMessage) -> SendResult:
        if message.since_last_inbound is None or message.since_last_inbound <= WINDOW:
            body = {"recipient": {"user_id": message.to.user}, "message": _body(message)}
            return _sent(await self._post(f"{self._api_base}/v3.0/oa/message/cs", body))
        if message.purpose != Purpose.UPDATE or message.template is None:
            msg = f"no interaction for {message.since_last_inbound}: Zalo allows replies for 7 days and no ZBS template is configured"
            raise OutsideWindow(msg)
        return _sent(await self._post(*self._template_request(message, message.template)))

    def _template_request(self, message: OutboundMessage, template: TemplateRef) -> tuple[str, dict[str, Any]]:
        """By phone through the business API (tracked by our key), else by the follower's user id."""
        body: dict[str, Any] = {"template_id": template.name, "template_data": dict(template.params)}
        if template.phone:
            return f"{self._business_base}/message/template", {"phone": template.phone, **body, "tracking_id": message.key[:48]}
        return f"{self._api_base}/v3.0/oa/message/template", {"user_id": message.to.user, **body}

    async def _post(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        token = await self._tokens.current()
        try:
            return await self._call(url, body, token)
        except AuthFailed:
            if await self._tokens.rejected(token):
                raise RetryLater("Zalo refused the access token; a fresh one is ready", retry_after=1) from None
            raise

    async def _call(self, url: str, body: dict[str, Any], token: str) -> dict[str, Any]:
        try:
            async with self._session.post(url, json=body, headers={"access_token": token}, timeout=TIMEOUT) as response:
                if response.status >= 500:
                    raise RetryLater(f"HTTP {response.status}")
                reply: dict[str, Any] | None = await response.json(content_type=None)
        except TimeoutError as failure:
            raise DeliveryUnknown("Zalo did not answer in time") from failure
        except aiohttp.ClientConnectionError as failure:
            raise RetryLater(f"cannot reach Zalo: {failure}") from failure
        code = int((reply or {}).get("error", -1))
        if code != 0:
            raise _error(code, str((reply or {}).get("message", "")))
        return reply or {}

    async def aclose(self) -> None:
        return None


def _sent(reply: dict[str, Any]) -> SendResult:
    data = reply.get("data") or {}
    return SendResult(provider_id=str(data.get("message_id") or data.get("msg_id")))


def _user(data: dict[str, Any]) -> Address:
    user = (data.get("sender") or data.get("follower") or {}).get("id")
    if not user:
        raise MalformedPayload("no sender id")
    return Address(ChannelKind.ZALO, str(user))


def _from_event(name: str, data: dict[str, Any], at: datetime) -> Message | None:
    sender, message = _user(data), data.get("message") or {}
    event_id = str(message.get("msg_id") or hashlib.sha256(f"{name}:{sender.user}:{data.get('timestamp')}".encode()).hexdigest()[:32])
    base: dict[str, Any] = {"id": event_id, "sender": sender, "received_at": at}
    if name == "user_send_text":
        text = str(message.get("text", ""))
        if text.startswith(ACTION_MARKER):
            return Message(kind=Kind.ACTION, action=text[len(ACTION_MARKER):], **base)
        return Message(kind=Kind.TEXT, text=text, **base)
    if name.removeprefix("user_send_") in MEDIA:
        attachments = tuple(_attachment(a) for a in message.get("attachments") or [] if isinstance(a, dict))
        return Message(kind=Kind.MEDIA, text=str(message.get("text", "")), attachments=attachments, **base)
    if name == "user_submit_info":  # the customer types the form's phone: as unproven as a phone in a message
        info = data.get("info") or {}
        return Message(kind=Kind.TEXT, text=str(info.get("phone") or ""), display_name=str(info.get("name") or ""), **base)
    simple = {"follow": Kind.FOLLOW, "unfollow": Kind.UNFOLLOW, "user_withdraw": Kind.WITHDRAW}
    return Message(kind=simple[name], **base) if name in simple else None


def _attachment(item: dict[str, Any]) -> Attachment:
    payload = item.get("payload") or {}
    where = payload.get("coordinates")
    url = f"geo:{where.get('latitude')},{where.get('longitude')}" if isinstance(where, dict) else str(payload.get("url", ""))
    return Attachment(type=str(item.get("type", "file")), url=url, title=str(payload.get("name") or ""))


def _body(message: OutboundMessage) -> dict[str, Any]:
    if message.request_phone:
        return {"attachment": {"type": "template", "payload": {"template_type": "request_user_info", "elements": [
            {"title": message.request_phone, "subtitle": message.text, "image_url": ""}]}}}
    body: dict[str, Any] = {"text": message.text}
    if message.buttons:
        buttons = [{"title": b.title, "type": "oa.query.hide", "payload": f"{ACTION_MARKER}{b.action}"} for b in message.buttons]
        body["attachment"] = {"type": "template", "payload": {"buttons": buttons}}
    return body


def _error(code: int, text: str) -> ChannelError:
    """Zalo's documented codes (docs/platforms.md §1.7) to outbox decisions."""
    reason = f"Zalo error {code}: {text}"
    if code in RETRY:
        return RetryLater(reason, retry_after=60, code=str(code))
    if code in AUTH:
        return AuthFailed(reason, code=str(code))
    if code in WINDOW_CLOSED:
        return OutsideWindow(reason, code=str(code))
    if code in UNREACHABLE:
        return RecipientUnreachable(reason, code=str(code))
    return RejectedRequest(reason, code=str(code))
