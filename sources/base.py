"""The OrderSource protocol and the errors of its webhooks and pull API."""

from __future__ import annotations

from datetime import datetime
from typing import Mapping, Protocol

import aiohttp

from sources.models import SourceEvent, SourceOrder
from untrusted.refused import Refused


class SignatureMismatch(Exception):
    """The platform's documented signature is missing or wrong: answer 401, store nothing."""


class SchemeUndocumented(Exception):
    """We found no documented signature scheme for this platform, so we do not guess one: 501."""


class SourceNotConfigured(Exception):
    """No secret for this platform: its webhook is off (403)."""


class SourceUnavailable(Exception):
    """The platform's pull API timed out, failed or refused: keep the cursor and try later."""


class MalformedOrder(Refused):
    """The body cannot be read as this platform's payload: 400 with the reason."""


class OrderSource(Protocol):
    id: str
    can_pull: bool

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        """Raise SignatureMismatch, SchemeUndocumented or SourceNotConfigured; pass when authentic."""

    def parse(self, headers: Mapping[str, str], body: bytes) -> SourceEvent:
        """The delivery read as an event; Refused when it cannot be read."""

    async def pull(self, http: aiohttp.ClientSession, since: datetime) -> list[SourceOrder]:
        """Orders changed since `since`, oldest first (SourceUnavailable on failure)."""
