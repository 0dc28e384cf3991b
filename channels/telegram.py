"""Telegram Bot API through python-telegram-bot's ExtBot (with AIORateLimiter).

Webhook bodies are read by `channels.telegram_update` rather than `Update.de_json`, which
cost more than the rest of an ack (the module says by how much).

PTB's `Application` is not used: its handler state lives in process memory, and our
conversation state lives in the database so any replica can answer (docs/platforms.md §3.5).
Webhooks are authenticated by the `X-Telegram-Bot-Api-Secret-Token` header set with
`setWebhook(secret_token=…)`; without a configured secret every webhook is refused,
because anyone who guesses the URL could otherwise speak as any customer.
"""

from __future__ import annotations

import hmac
import logging
import warnings
from datetime import datetime, timezone
from typing import Any, ClassVar

from telegram.error import (
    BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut,
)
from telegram.ext import AIORateLimiter, ExtBot
from telegram.warnings import PTBUserWarning

from channels.base import (
    AuthFailed, Capabilities, DeliveryUnknown, InvalidSignature, PhoneShare, RawRequest,
    RecipientUnreachable, RejectedRequest, RetryLater,
)
from channels.models import (
    Address, Attachment, ChannelKind, Inbound, Kind, Message, OutboundMessage, SendResult,
)
from channels.telegram_http import AiohttpRequest
from channels.telegram_update import Message as UpdateMessage
from channels.telegram_update import Update
from untrusted.documents import parse_bounded

log = logging.getLogger("channels.telegram")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_CALLED_ON_PURPOSE = "Please use 'Bot."  # do_api_request's advice for methods PTB wraps (see send())


class _Bot(ExtBot[Any]):
    """ExtBot that keeps quiet when `do_api_request` is used on purpose for a method PTB wraps.

    A filtered warning still costs its whole machinery (frames walked, filters matched): 1.6 %
    of the server's samples when it was issued on every send (docs/performance.md)."""

    @classmethod
    def _warn(cls, message: str | PTBUserWarning, category: type[Warning] = PTBUserWarning,
              stacklevel: int = 0) -> None:
        if isinstance(message, str) and message.startswith(_CALLED_ON_PURPOSE):
            return
        super()._warn(message, category=category, stacklevel=stacklevel + 1)


class TelegramChannel:
    kind: ClassVar[ChannelKind] = ChannelKind.TELEGRAM
    capabilities: ClassVar[Capabilities] = Capabilities(
        max_text=4096, max_buttons=12, max_button_title=64, max_action_bytes=64,
        templates=False, free_window=None, phone_share=PhoneShare.VERIFIED, provider_webhook=True,
    )

    def __init__(
        self, token: str, *, webhook_secret: str | None, api_base: str = "https://api.telegram.org",
        messages_per_second: int = 30,
    ) -> None:
        self._secret = webhook_secret
        self.bot = _Bot(
            token, base_url=f"{api_base.rstrip('/')}/bot{{token}}",
            rate_limiter=AIORateLimiter(overall_max_rate=messages_per_second, max_retries=0) if messages_per_second else None,
            request=AiohttpRequest(connections=64),
        )

    async def start(self) -> None:
        await self.bot.initialize()  # getMe: fails fast on a wrong token

    def handshake(self, request: RawRequest) -> str | None:
        return None

    def verify(self, request: RawRequest) -> None:
        given = request.headers.get(SECRET_HEADER)
        if not self._secret:
            raise InvalidSignature("HAUMAI_TELEGRAM_WEBHOOK_SECRET is not configured")
        if not given:
            raise InvalidSignature(f"missing {SECRET_HEADER} header")
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            raise InvalidSignature(f"wrong {SECRET_HEADER}")

    def parse(self, request: RawRequest) -> list[Inbound]:
        update = parse_bounded(Update, request.body, "Telegram update")
        message = self._from_callback(update) or self._from_message(update)
        return [message] if message is not None else []

    def _from_callback(self, update: Update) -> Message | None:
        query = update.callback_query
        if query is None or query.message is None:
            return None
        return Message(
            id=str(update.update_id), sender=Address(ChannelKind.TELEGRAM, str(query.message.chat.id)),
            kind=Kind.ACTION, received_at=datetime.now(timezone.utc), action=query.data or "",
            callback_id=query.id, display_name=query.from_user.full_name,
            language=query.from_user.language_code,
        )

    def _from_message(self, update: Update) -> Message | None:
        source = update.message  # edited messages, channel posts and member updates are ignored
        if source is None:
            return None
        user = source.from_user
        return Message(
            id=str(update.update_id), sender=Address(ChannelKind.TELEGRAM, str(source.chat.id)),
            received_at=source.sent_at or datetime.now(timezone.utc),
            display_name=user.full_name if user else "", language=user.language_code if user else None,
            **_content(source),
        )

    def link(self, token: str) -> str | None:
        """A `/start` deep link, by the username `start()` learnt from getMe."""
        username = self.bot.username
        return f"https://t.me/{username}?start={token}" if username else None

    async def acknowledge(self, message: Message) -> None:
        if message.callback_id is None:
            return
        try:
            await self.bot.answer_callback_query(message.callback_id)
        except BadRequest as failure:  # "query is too old": the tap still counts
            log.info("callback answer refused", extra={"reason": str(failure)})
        except TelegramError as failure:
            raise RetryLater(str(failure)) from failure

    async def send(self, message: OutboundMessage) -> SendResult:
        """Through `do_api_request`, which keeps the answer a dict: building PTB's Message graph
        from it cost a third of a send, and only its message_id is kept. The rate limiter and
        PTB's error classes still apply."""
        params: dict[str, Any] = {"chat_id": int(message.to.user), "text": message.text}
        markup = _markup(message)
        if markup is not None:
            params["reply_markup"] = markup
        try:
            sent = await self.bot.do_api_request("sendMessage", api_kwargs=params)
        except TelegramError as failure:
            raise _translate(failure) from failure
        return SendResult(provider_id=str(sent["message_id"]))

    async def aclose(self) -> None:
        await self.bot.shutdown()


def _content(source: UpdateMessage) -> dict[str, Any]:
    text = source.text or source.caption or ""
    if text.startswith("/start"):
        token = text.partition(" ")[2].strip()
        return {"kind": Kind.LINK, "link_token": token, "text": text} if token else {"kind": Kind.TEXT, "text": text}
    contact = source.contact
    if contact is not None:
        own = source.from_user is not None and contact.user_id == source.from_user.id
        if own:  # Telegram vouches for a phone only when users share their own contact
            return {"kind": Kind.CONTACT, "phone": contact.phone_number, "text": contact.phone_number}
        return {"kind": Kind.TEXT, "text": contact.phone_number}
    attachments = _attachments(source)
    if attachments and not source.text:
        return {"kind": Kind.MEDIA, "attachments": attachments, "text": text}
    return {"kind": Kind.TEXT, "text": text}


def _attachments(source: UpdateMessage) -> tuple[Attachment, ...]:
    found = []
    if source.photo:
        found.append(Attachment(type="image", url=source.photo[-1].file_id))
    if source.document:
        found.append(Attachment(type="file", url=source.document.file_id, title=source.document.file_name or ""))
    if source.sticker:
        found.append(Attachment(type="sticker", url=source.sticker.file_id))
    if source.location:
        found.append(Attachment(type="location", url=f"geo:{source.location.latitude},{source.location.longitude}"))
    return tuple(found)


def _markup(message: OutboundMessage) -> dict[str, Any] | None:
    """One markup per message (Bot API JSON): the share-phone keyboard wins, its other buttons become keys."""
    if message.request_phone:
        rows = [[{"text": message.request_phone, "request_contact": True}]]
        rows += [[{"text": b.title}] for b in message.buttons]
        return {"keyboard": rows, "one_time_keyboard": True, "resize_keyboard": True}
    if message.buttons:
        keys = [{"text": b.title, "callback_data": b.action} for b in message.buttons]
        per_row = 6 if all(len(b.title) <= 6 for b in message.buttons) else 1  # 0–10 scales fit two rows
        return {"inline_keyboard": [keys[i:i + per_row] for i in range(0, len(keys), per_row)]}
    return None


def _translate(failure: TelegramError) -> Exception:
    """PTB's error classes to ours; the order matters (TimedOut is a NetworkError)."""
    text = str(failure)
    if isinstance(failure, RetryAfter):
        with warnings.catch_warnings():  # PTB warns that the type becomes timedelta; both are handled
            warnings.simplefilter("ignore")
            retry = failure.retry_after
        seconds = retry.total_seconds() if hasattr(retry, "total_seconds") else float(retry)
        return RetryLater(text, retry_after=seconds, code="429")
    if isinstance(failure, TimedOut):
        return DeliveryUnknown(text)
    if isinstance(failure, InvalidToken):
        return AuthFailed(text)
    if isinstance(failure, Forbidden) or (isinstance(failure, BadRequest) and "chat not found" in text.lower()):
        return RecipientUnreachable(text)
    if isinstance(failure, BadRequest):
        return RejectedRequest(text)
    if isinstance(failure, NetworkError):
        return RetryLater(text)
    return RejectedRequest(text)
