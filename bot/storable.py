"""Text the database can hold: PostgreSQL refuses NUL in text, and no driver can encode a lone
UTF-16 surrogate. Staff and customers paste such characters by accident; cleaning them before
they are stored keeps one message from failing every write it takes part in."""

from __future__ import annotations

import re
from typing import Any, TypeVar

Value = TypeVar("Value")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL, or half of a UTF-16 pair


def storable_text(text: str) -> str:
    """`text` without NUL, with surrogate pairs joined and lone surrogates shown as U+FFFD.

    Every reply's body passes here, string by string: the common case (nothing to clean) is one
    regex search, not an encode and decode of the text."""
    if _UNSTORABLE.search(text) is None:
        return text
    if text.isascii():
        return text.replace("\x00", "")
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return joined.replace("\x00", "")


def storable(value: Value) -> Value:
    """Every string in a JSON-like value (dict keys and values, lists) made storable."""
    cleaned: Any = value
    if isinstance(value, str):
        cleaned = storable_text(value)
    elif isinstance(value, dict):
        cleaned = {storable(key): storable(item) for key, item in value.items()}
    elif isinstance(value, (list, tuple)):
        cleaned = type(value)(storable(item) for item in value)
    return cleaned
