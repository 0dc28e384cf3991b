"""Pulled pages read item by item: one unreadable order is skipped, not the whole page."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from untrusted.documents import validate
from untrusted.refused import Refused

Model = TypeVar("Model", bound=BaseModel)


def readable(model: type[Model], items: list[Any]) -> list[Model]:
    """Each item that reads as `model`; the webhook of the same order reports a bad one with its reason."""
    found = []
    for item in items:
        try:
            found.append(validate(model, item, "pulled order"))
        except Refused:
            continue
    return found
