"""The one error every edge turns into a 400 with a JSON reason."""

from __future__ import annotations

from pydantic import ValidationError


class Refused(ValueError):
    """Input outside the bounds we accept; the message says why and never echoes the value."""


def refusal(failure: ValidationError, what: str) -> Refused:
    """The first problem pydantic found, by location only: values may be personal data."""
    first = failure.errors(include_url=False, include_input=False)[0]
    if first["type"] == "json_invalid":  # bytes validated straight (`parse_bounded`) that are not JSON
        return Refused(f"body is not JSON: {first['msg']}")
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return Refused(f"not a valid {what}: {where}: {first['msg']}")
