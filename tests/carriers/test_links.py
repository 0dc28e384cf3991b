"""Every carrier with a public page gets a tracking link; codes are URL-escaped."""

from __future__ import annotations

import pytest

from carriers.registry import build_carriers, tracking_url

LINKS = {
    "ghn": "https://donhang.ghn.vn/?order_code=GAN6D8A9", "ghtk": "https://i.ghtk.vn/GAN6D8A9",
    "viettelpost": "https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/",
    "jnt": "https://jtexpress.vn/vi/tracking?type=track&billcode=GAN6D8A9",
    "ninjavan": "https://www.ninjavan.co/vi-vn/tracking?id=GAN6D8A9",
    "vnpost": "https://vnpost.vn/vi-vn/dinh-vi/buu-pham?key=GAN6D8A9", "spx": "https://spx.vn/track?GAN6D8A9",
    "best": "https://www.best-inc.vn/track?bills=GAN6D8A9",
}


@pytest.mark.parametrize("carrier, link", sorted(LINKS.items()))
def test_each_carrier_has_its_public_tracking_link(carrier: str, link: str) -> None:
    assert tracking_url(carrier, "GAN6D8A9") == link


def test_no_link_without_a_code_or_for_an_unknown_carrier() -> None:
    assert tracking_url("ghn", None) is None and tracking_url("pigeon", "X1") is None


def test_a_code_is_escaped_in_the_link() -> None:
    assert tracking_url("ghtk", "S1.A1/17?x") == "https://i.ghtk.vn/S1.A1%2F17%3Fx"


def test_carriers_without_credentials_do_not_poll() -> None:
    carriers = build_carriers()
    assert {c.id for c in carriers.values() if c.can_pull} == set()
    assert build_carriers(ghn_token="t")["ghn"].can_pull
