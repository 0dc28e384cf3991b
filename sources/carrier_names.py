"""The carrier a platform names in a fulfilment ("Giao Hàng Nhanh", "GHTK", "J&T") as Haumai's id."""

from __future__ import annotations

import re
import unicodedata

KNOWN = {  # folded name (no diacritics, letters and digits only) → carrier id
    "ghn": "ghn", "giaohangnhanh": "ghn",
    "ghtk": "ghtk", "giaohangtietkiem": "ghtk",
    "viettelpost": "viettelpost", "vtp": "viettelpost",
    "jt": "jnt", "jnt": "jnt", "jtexpress": "jnt", "jntexpress": "jnt",
    "ninjavan": "ninjavan",
    "vnpost": "vnpost", "vietnampost": "vnpost", "buudienvietnam": "vnpost",
    "ahamove": "ahamove",
    "spx": "spx", "spxexpress": "spx", "shopeeexpress": "spx",
    "best": "best", "bestexpress": "best",
}


def fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


def carrier_id(name: str | None) -> str | None:
    """Haumai's id for a carrier the platform names; "other" for one we do not know, None for none."""
    if not name or not name.strip():
        return None
    return KNOWN.get(fold(name), "other")
