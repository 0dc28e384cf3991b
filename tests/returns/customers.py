"""Customers of tests/flows/customers.py that also send a photo, each in its channel's wire format:
Telegram a photo's file_id (fetched with getFile), Messenger and Zalo a CDN URL, the web chat
an upload first."""

from __future__ import annotations

import itertools
import struct
import zlib
from typing import Any

from sqlalchemy import select

from bot.storage.models import Contact
from tests.apps import eventually, runtime_of
from tests.fakes import zalo as zalo_wire
from tests.fakes.telegram import text_update
from tests.flows.customers import (
    CHAT, PSID, ZALO_USER, MessengerCustomer, TelegramCustomer, WebChatCustomer, ZaloCustomer,
)

_names = itertools.count(1)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(2000)  # a JPEG's signature, then bytes


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# a real 1×1 orange PNG, so a browser draws it
PNG = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
       + _chunk(b"IDAT", zlib.compress(b"\x00\xe4\x57\x2e")) + _chunk(b"IEND", b""))


class TelegramPhotos(TelegramCustomer):
    async def photo(self, data: bytes) -> None:
        file_id = f"AgACAgIAAxk{next(_names)}"
        self.telegram.files[file_id] = (data, "image/jpeg")
        update = text_update(CHAT, "")
        message: dict[str, Any] = update["message"]
        del message["text"]
        message["photo"] = [{"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 90, "height": 90, "file_size": len(data)}]
        await self._post(update)


class WebPhotos(WebChatCustomer):
    async def photo(self, data: bytes) -> int:
        """Upload, then name the upload in a message; the upload's status when it is refused."""
        response = await self.client.post("/chat/api/upload", params={"session": self.web.session}, data=data)
        if response.status != 201:
            return response.status
        assert await self.web.say(attachment=(await response.json())["attachment"]) == 200
        return 200


class MessengerPhotos(MessengerCustomer):
    async def photo(self, data: bytes) -> None:
        url = self.graph.host_file(f"p{next(_names)}.jpg", data)
        await self._post({"message": {"mid": f"m.p{next(_names)}", "attachments": [{"type": "image", "payload": {"url": url}}]}})


class ZaloPhotos(ZaloCustomer):
    async def photo(self, data: bytes) -> None:
        url = self.zalo.host_file(f"z{next(_names)}.jpg", data)
        event = {"app_id": zalo_wire.APP_ID, "sender": {"id": ZALO_USER}, "user_id_by_app": "5521", "recipient": {"id": "3886"},
                 "event_name": "user_send_image", "timestamp": str(1764000000000 + next(_names)),
                 "message": {"msg_id": f"zp.{next(_names)}", "text": "", "attachments": [
                     {"type": "image", "payload": {"thumbnail": url, "url": url}}]}}
        await self._post(event)

    async def withdraw(self) -> None:
        """The customer asks Zalo to delete their data; returns once the bot has forgotten them."""
        await self._post({"app_id": zalo_wire.APP_ID, "sender": {"id": ZALO_USER}, "recipient": {"id": "3886"},
                          "event_name": "user_withdraw", "timestamp": str(1764000000000 + next(_names))})

        async def forgotten() -> bool:
            async with runtime_of(self.client).sessions() as db:
                return await db.scalar(select(Contact.opted_out_at)) is not None

        await eventually(forgotten)
