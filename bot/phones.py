"""Vietnamese phone numbers in one canonical form (`0xxxxxxxxx`) so they can be matched."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-()]")
_VN = re.compile(r"^(?:\+?84|0)([35789]\d{8}|2\d{9})$")


def normalise_phone(text: str) -> str | None:
    """`0987 654 321`, `0987.654.321`, `+84 987 654 321`, `84987654321` → `0987654321`."""
    match = _VN.match(_SEPARATORS.sub("", text or ""))
    return f"0{match.group(1)}" if match else None
