"""Sapo: refused with 501 until its webhook signature is documented.

Sapo's developer documentation (developers.sapo.vn) could not be found describing how a
webhook is signed. Deliveries seen in the wild carry `X-Sapo-Topic` ("orders/update") and an
`X-Sapo-Hmac-Sha256` header of 32 base64-encoded bytes, which suggests Shopify's scheme, but
neither the key nor the signed bytes are documented, and accepting orders on a guessed
scheme would let anyone who guesses differently forge them. So every delivery is answered
501 with that reason (Sapo retries; nothing is stored), and shops on Sapo use the signed JSON
source or the import until the scheme is documented.
"""

from __future__ import annotations

from datetime import datetime
from typing import Mapping

import aiohttp

from sources.base import SchemeUndocumented
from sources.models import SourceEvent, SourceOrder

UNDOCUMENTED = ("Sapo's webhook signature scheme is not publicly documented, so Haumai does not accept "
                "Sapo webhooks; send orders through /sources/signed/webhook or `haumai orders import`")


class SapoSource:
    id = "sapo"
    can_pull = False

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        raise SchemeUndocumented(UNDOCUMENTED)

    def parse(self, headers: Mapping[str, str], body: bytes) -> SourceEvent:
        raise SchemeUndocumented(UNDOCUMENTED)

    async def pull(self, http: aiohttp.ClientSession, since: datetime) -> list[SourceOrder]:
        return []
