"""Public tracking links per carrier (research/carriers.md §13)."""

from __future__ import annotations

from urllib.parse import quote

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
