"""The carriers this installation knows, and their public tracking links (docs/carriers.md §10)."""

from __future__ import annotations

from urllib.parse import quote

from carriers.ahamove import AhamoveCarrier
from carriers.base import Carrier
from carriers.ghn import GhnCarrier
from carriers.ghtk import GhtkCarrier
from carriers.jnt import JntCarrier
from carriers.ninjavan import NinjaVanCarrier
from carriers.returns import ReturnPickup
from carriers.sandbox import SandboxReturns
from carriers.viettelpost import ViettelPostCarrier
from carriers.vnpost import VnpostCarrier

TRACKING_PAGES = {
    "ghn": "https://donhang.ghn.vn/?order_code={code}",
    "ghtk": "https://i.ghtk.vn/{code}",
    "viettelpost": "https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/",
    "jnt": "https://jtexpress.vn/vi/tracking?type=track&billcode={code}",
    "ninjavan": "https://www.ninjavan.co/vi-vn/tracking?id={code}",
    "vnpost": "https://vnpost.vn/vi-vn/dinh-vi/buu-pham?key={code}",
    "spx": "https://spx.vn/track?{code}",
    "best": "https://www.best-inc.vn/track?bills={code}",
}


def tracking_url(carrier: str | None, code: str | None) -> str | None:
    """The carrier's public page for a code, when the carrier has one."""
    page = TRACKING_PAGES.get(carrier or "")
    if page is None or not code:
        return None
    return page.format(code=quote(code, safe=""))


def build_carriers(
    *, ghn_token: str | None = None, ghn_shop_id: str | None = None, ghn_api_base: str | None = None,
    ghtk_token: str | None = None, ghtk_api_base: str | None = None, ghtk_partner_code: str | None = None,
    viettelpost_token: str | None = None,
    ninjavan_client_key: str | None = None,
) -> dict[str, Carrier]:
    """Every supported carrier; pulling is enabled only where credentials are configured."""
    ghn = GhnCarrier(ghn_token, ghn_shop_id, **({"api_base": ghn_api_base} if ghn_api_base else {}))
    ghtk = GhtkCarrier(ghtk_token, partner_code=ghtk_partner_code, **({"api_base": ghtk_api_base} if ghtk_api_base else {}))
    pushed = (JntCarrier(), NinjaVanCarrier(ninjavan_client_key), VnpostCarrier(), AhamoveCarrier())
    return {c.id: c for c in (ghn, ghtk, ViettelPostCarrier(viettelpost_token), *pushed)}


def return_pickups() -> dict[str, ReturnPickup]:
    """The carriers whose return/pickup API Haumai books returns with (HAUMAI_RETURNS_PICKUP_CARRIER)."""
    pickups: tuple[ReturnPickup, ...] = (SandboxReturns(),)
    return {carrier.id: carrier for carrier in pickups}
