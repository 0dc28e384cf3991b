"""JSON bodies with bounds: depth, integer range, finite numbers, no lone surrogates, no NUL.

pydantic-core's parser refuses lone surrogates and stops at 200 levels, so no body reaches a
RecursionError; the walk then holds documents to `MAX_DEPTH`, refuses numbers the database or
`datetime` cannot hold, and drops NUL characters, which PostgreSQL text cannot store.
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

import pydantic_core
from pydantic import BaseModel, ValidationError

from untrusted.fields import MAX_INT
from untrusted.refused import Refused, refusal

MAX_DEPTH = 32
Model = TypeVar("Model", bound=BaseModel)


def load(body: bytes | str) -> Any:
    """The body as JSON within bounds, or Refused with the reason."""
    try:
        document = pydantic_core.from_json(body, allow_inf_nan=False)
    except ValueError as failure:
        raise Refused(f"body is not JSON: {failure}") from None
    return _bounded(document, 0)


def load_object(body: bytes | str) -> dict[str, Any]:
    document = load(body)
    if not isinstance(document, dict):
        raise Refused("body must be a JSON object")
    return document


def parse(model: type[Model], body: bytes | str, what: str) -> Model:
    """The body read as `model`; `what` names it in the reason ("Telegram update")."""
    return validate(model, load(body), what)


def parse_bounded(model: type[Model], body: bytes | str, what: str) -> Model:
    """The body read straight into `model`, for models whose field types carry every bound.

    On the hottest edge (each Telegram webhook) the generic walk of `parse` costs more than the
    validation itself. A model may skip it when its integers are ranged, floats bounded and
    strings cleaned by their types (`untrusted.fields`): what it ignores is never stored, and
    pydantic-core's parser still refuses lone surrogates and nesting beyond 200 levels.
    """
    try:
        return model.model_validate_json(body)
    except ValidationError as failure:
        raise refusal(failure, what) from None


def validate(model: type[Model], document: Any, what: str) -> Model:
    try:
        return model.model_validate(document)
    except ValidationError as failure:
        raise refusal(failure, what) from None


def checked(model: type[BaseModel], document: Any, what: str) -> dict[str, Any]:
    """The document validated as `model`, read back as a mapping by its wire names.

    For adapters whose event code reads provider field names (GHTK's dotted keys, Zalo's
    events): every value they read now has its declared type and bounds.
    """
    return validate(model, document, what).model_dump(by_alias=True, exclude_none=True)


def _bounded(value: Any, depth: int) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if abs(value) > MAX_INT:
            raise Refused("a number is outside the 64-bit integer range")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Refused("a number is too large")
        return value
    if depth >= MAX_DEPTH:
        raise Refused(f"JSON is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, list):
        return [_bounded(item, depth + 1) for item in value]
    return {_bounded(key, depth + 1): _bounded(item, depth + 1) for key, item in value.items()}
