"""Photos for returns: fetched from the platform's own file API, size-limited, type-checked.

A chat attachment arrives as a reference, not bytes: Telegram a file_id (getFile, then its file
URL), Messenger and Zalo a URL on their CDN, the web chat an upload it already stored. The type
is read from the bytes (a JPEG, PNG or WebP signature), never from a name or a header the
sender controls, and no more than the limit is ever read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable

import aiohttp

from bot.config import Settings
from channels.models import Address, Attachment, ChannelKind

SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
TIMEOUT = aiohttp.ClientTimeout(total=10)
UPLOAD = "upload:"  # the web chat's stored uploads (app.webchat), by id


class PhotoRefused(Exception):
    """Why a photo cannot be taken: `too_large`, `wrong_type` or `unavailable` (the customer is told which)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Photo:
    content_type: str
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def image_type(data: bytes) -> str | None:
    """The photo's type from its first bytes; None for anything that is not a JPEG, PNG or WebP."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for signature, kind in SIGNATURES if data.startswith(signature)), None)


def checked(data: bytes, limit: int) -> Photo:
    if len(data) > limit:
        raise PhotoRefused("too_large")
    kind = image_type(data)
    if kind is None:
        raise PhotoRefused("wrong_type")
    return Photo(kind, data)


class PhotoFetcher:
    """Reads one attachment's bytes from the platform it came from, within the shop's size limit."""

    def __init__(self, http: aiohttp.ClientSession, settings: Callable[[], Settings]) -> None:
        self._http = http
        self._settings = settings

    async def fetch(self, sender: Address, attachment: Attachment) -> Photo:
        limit = self._settings().returns_photo_max_bytes
        if attachment.type not in ("image", "file") or not attachment.url:
            raise PhotoRefused("wrong_type")
        try:
            url = await self._telegram_file_url(attachment.url, limit) if sender.channel == ChannelKind.TELEGRAM else attachment.url
            return checked(await self._download(url, limit), limit)
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as failure:  # whatever the platform answered
            raise PhotoRefused("unavailable") from failure

    async def _telegram_file_url(self, file_id: str, limit: int) -> str:
        """Bot API getFile, then `<base>/file/bot<token>/<file_path>` (valid for an hour)."""
        settings = self._settings()
        if settings.telegram_token is None:
            raise PhotoRefused("unavailable")
        base, token = settings.telegram_api_base.rstrip("/"), settings.telegram_token.get_secret_value()
        async with self._http.post(f"{base}/bot{token}/getFile", json={"file_id": file_id}, timeout=TIMEOUT) as response:
            answer = await response.json(content_type=None)
        if not answer.get("ok"):
            raise PhotoRefused("unavailable")
        if int(answer["result"].get("file_size") or 0) > limit:
            raise PhotoRefused("too_large")
        return f"{base}/file/bot{token}/{answer['result']['file_path']}"

    async def _download(self, url: str, limit: int) -> bytes:
        async with self._http.get(url, timeout=TIMEOUT) as response:
            if response.status != 200:
                raise PhotoRefused("unavailable")
            if (response.content_length or 0) > limit:
                raise PhotoRefused("too_large")
            data = bytearray()
            async for chunk in response.content.iter_chunked(64 * 1024):
                data += chunk
                if len(data) > limit:  # stop reading: a larger body is never held whole
                    raise PhotoRefused("too_large")
        return bytes(data)
