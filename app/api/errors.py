"""JSON errors with a reason: the shop's developer reads why, never a stack trace."""

from __future__ import annotations

from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from untrusted.documents import load_object
from untrusted.refused import Refused

Model = TypeVar("Model", bound=BaseModel)


def problem(status: int, code: str, detail: str, **extra: Any) -> web.Response:
    return web.json_response({"error": code, "detail": detail, **extra}, status=status)


async def read_model(request: web.Request, model: type[Model]) -> Model | web.Response:
    """The validated body, or the 400/422 response explaining what is wrong with it."""
    try:
        data = load_object(await request.read())
    except Refused as refused:
        return problem(400, "malformed_json", str(refused))
    try:
        return model.model_validate(data)
    except ValidationError as failure:
        fields = [
            {"field": ".".join(str(p) for p in e["loc"]), "reason": e["msg"]}
            for e in failure.errors(include_url=False, include_input=False)
        ]
        return problem(422, "invalid_body", "some fields are invalid", fields=fields)
